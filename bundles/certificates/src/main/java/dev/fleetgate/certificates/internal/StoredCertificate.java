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
 */
public record StoredCertificate(UUID id, String source, UUID serviceId, List<String> domains, CertificateState state,
        int version, String certPem, String keySealed, String issuer, String serial, Instant notBefore,
        Instant notAfter, Instant renewAt, boolean ari, String error, String problem, int failures,
        Instant nextAttemptAt, Instant createdAt, Instant updatedAt) {

    public boolean acme() {
        return "acme".equals(source);
    }

    /** @return the id the agents see: changes with each new certificate */
    public String deployedId() {
        return id + "-" + version;
    }
}
