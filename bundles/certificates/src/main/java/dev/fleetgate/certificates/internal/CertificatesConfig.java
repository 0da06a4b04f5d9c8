package dev.fleetgate.certificates.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code dev.fleetgate.certificates} ({@code etc/dev.fleetgate.certificates.cfg}). */
@ObjectClassDefinition(
        id = CertificatesConfig.PID,
        name = "Fleetgate certificates",
        description = "The ACME server certificates are ordered from, and the order scheduler.")
public @interface CertificatesConfig {
    String PID = "dev.fleetgate.certificates";
    String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";

    @AttributeDefinition(
            description =
                    "ACME directory URL (Let's Encrypt production by default; staging or any " + "RFC 8555 server).")
    String directoryUrl() default LETS_ENCRYPT;

    @AttributeDefinition(description = "PEM file of a CA to trust for the ACME server besides the JVM's (empty: none).")
    String caFile() default "";

    @AttributeDefinition(description = "Contact e-mail of the ACME account until an admin sets one.")
    String email() default "";

    @AttributeDefinition(description = "Run orders and renewals on this core.")
    boolean schedulerEnabled() default true;

    @AttributeDefinition(min = "1", description = "How often the scheduler looks for due orders (seconds).")
    int tickSeconds() default 5;

    @AttributeDefinition(
            min = "1",
            description = "First retry delay after a failed order (seconds); doubles up "
                    + "to 6 hours (a CA's Retry-After wins when later).")
    int retryInitialSeconds() default 60;

    @AttributeDefinition(
            min = "1",
            description = "OCSP stapling: the longest time between two fetches of a certificate's OCSP response "
                    + "(seconds); a response is refreshed at half its validity when that comes sooner. Failed "
                    + "fetches are retried from retryInitialSeconds, doubling up to 1 hour.")
    int ocspRefreshMaxSeconds() default 43200;
}
