package dev.fleetgate.dns.internal;

import java.util.Base64;

import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsZone;
import dev.fleetgate.dns.TsigKey;
import dev.fleetgate.security.SecretBox;

/** Opens a stored zone's sealed secret into the {@link DnsZone} a provider needs. */
public final class ZoneAccess {
    private final SecretBox box;

    public ZoneAccess(SecretBox box) {
        this.box = box;
    }

    /** @return the sealed form of a base64 secret */
    public String seal(String base64Secret) {
        return base64Secret == null
                ? null
                : box.encryptBytes(Base64.getDecoder().decode(base64Secret));
    }

    public DnsZone open(StoredZone z) throws DnsException {
        TsigKey key = null;
        if (z.tsigKeyName() != null) {
            if (z.sealedSecret() == null) {
                throw new DnsException(
                        DnsException.Kind.CONFIG,
                        "Zone " + z.zone() + " names TSIG key " + z.tsigKeyName() + " but has no secret");
            }
            byte[] secret;
            try {
                secret = box.decryptBytes(z.sealedSecret());
            } catch (IllegalArgumentException e) {
                throw new DnsException(
                        DnsException.Kind.CONFIG,
                        "The TSIG secret of zone " + z.zone() + " cannot be opened (" + e.getMessage()
                                + "): was the master key changed? Set tsigSecret again");
            }
            try {
                key = new TsigKey(z.tsigKeyName(), z.tsigAlgorithm(), secret);
            } catch (IllegalArgumentException e) {
                throw new DnsException(DnsException.Kind.CONFIG, "Zone " + z.zone() + ": " + e.getMessage());
            }
        }
        return new DnsZone(z.zone(), z.provider(), z.server(), z.port(), key, z.ttl());
    }
}
