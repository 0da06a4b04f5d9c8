package dev.fleetgate.certificates.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.fleetgate.certificates.CertificateState;

/**
 * A certificate row. {@code keySealed} is the private key PEM sealed by SecretBox.
 *
 * @param source      {@code acme} or {@code custom}
 * @param version     grows with every issued or uploaded certificate (part of the id the agents see)
 * @param servedVersion the version the agents were last seen serving (tls.served), 0 before
 */
public record StoredCertificate(
        UUID id,
        String source,
        UUID serviceId,
        List<String> domains,
        CertificateState state,
        int version,
        String certPem,
        String keySealed,
        String issuer,
        String serial,
        Instant notBefore,
        Instant notAfter,
        Instant renewAt,
        boolean ari,
        String error,
        String problem,
        int failures,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant updatedAt,
        int servedVersion,
        String servedError,
        Instant servedCheckedAt) {

    /** @return true when every agent of the service served this version, false when one served another, else null */
    public Boolean served() {
        if (certPem == null || serviceId == null) {
            return null;
        }
        if (servedVersion == version) {
            return true;
        }
        return servedError == null ? null : false;
    }

    public boolean acme() {
        return "acme".equals(source);
    }

    /** @return the id the agents see: changes with each new certificate */
    public String deployedId() {
        return id + "-" + version;
    }
}
