/**
 * Fleetgate certificates (module 4): ACME certificates of services. The REST contract is
 * {@code /api/v1/certificates} and {@code /api/v1/services/{id}/tls}; TLS reaches the agents
 * through the proxy module's {@code ProxySpecContributor}, http-01 tokens through the
 * desired-state section {@value dev.fleetgate.certificates.CertificateState#ACME_SECTION}.
 */
@Export
@Version("1.0.0")
package dev.fleetgate.certificates;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
