package dev.fleetgate.dns.internal;

import java.time.Instant;
import java.util.UUID;

/**
 * A zone as stored, with its sync status. The TSIG secret stays sealed here.
 *
 * @param sealedSecret the secret sealed by {@code SecretBox}, or null
 */
public record StoredZone(
        UUID id,
        String zone,
        String provider,
        String server,
        int port,
        String tsigKeyName,
        String tsigAlgorithm,
        String sealedSecret,
        int ttl,
        Instant createdAt,
        Instant updatedAt,
        Status status) {

    /** Where the zone's synchronisation stands. */
    public record Status(
            Instant lastSyncAt, String lastError, Instant lastErrorAt, int failures, Instant nextAttemptAt) {
        public static final Status NEW = new Status(null, null, null, 0, null);
    }

    public boolean tsigSecretSet() {
        return sealedSecret != null;
    }

    @Override
    public String toString() {
        return "StoredZone[id=" + id + ", zone=" + zone + ", provider=" + provider + ", server=" + server + ":" + port
                + ", tsigKeyName=" + tsigKeyName + ", tsigSecretSet=" + tsigSecretSet() + "]";
    }
}
