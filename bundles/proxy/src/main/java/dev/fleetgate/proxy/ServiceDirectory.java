package dev.fleetgate.proxy;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Read-only view of the services, for modules that follow them (DNS records, metric
 * scrapes, certificates, scaling). After every create, update, replica change and delete
 * the proxy module posts {@value #TOPIC_CHANGED} on EventAdmin with the properties
 * {@code serviceId}, {@code action} ({@code CREATED}, {@code UPDATED}, {@code DELETED})
 * and {@code revision}.
 */
@ProviderType
public interface ServiceDirectory {

    /** EventAdmin topic posted after a service changed. */
    String TOPIC_CHANGED = "fleetgate/proxy/SERVICE_CHANGED";

    /** @return every service, by name */
    List<ServiceInfo> services();

    /** @return the service with this id, if any (a malformed id finds nothing) */
    Optional<ServiceInfo> service(String id);

    /**
     * Replaces a service's {@code tls} (a new revision, {@value #TOPIC_CHANGED} posted, the proxy section
     * recomputed), as a {@code PUT /services/{id}} with that field would. The setting is stored with the
     * service: there is one source of truth.
     *
     * @return the service as changed
     * @throws dev.fleetgate.api.ApiException 404 for an unknown service, 409 when it kept changing meanwhile
     * @throws UnsupportedOperationException when this directory is read-only (test doubles)
     * @since 1.3
     */
    default ServiceInfo setTls(String id, TlsSetting tls) {
        throw new UnsupportedOperationException("read-only service directory");
    }

    /**
     * A service as other modules see it.
     *
     * @param id         the service id (a UUID)
     * @param name       its unique name
     * @param revision   grows on every change
     * @param domains    normalised domains (punycode, lower case; may start with {@code *.})
     * @param agentIds   the agents it is placed on
     * @param targets    its static upstream targets (container replicas are not listed)
     * @param containers {@code true} when the agents run its replicas as containers
     * @param replicas   the desired replica count per agent, or 0 without containers
     * @param tls        the service's {@code tls} setting as its owner wrote it ({@link TlsSetting#OFF} when none)
     */
    record ServiceInfo(
            String id,
            String name,
            long revision,
            List<String> domains,
            List<String> agentIds,
            List<Target> targets,
            boolean containers,
            int replicas,
            TlsSetting tls) {
        public ServiceInfo {
            tls = tls == null ? TlsSetting.OFF : tls;
        }

        /** A service without TLS (the constructor of version 1.2). */
        public ServiceInfo(
                String id,
                String name,
                long revision,
                List<String> domains,
                List<String> agentIds,
                List<Target> targets,
                boolean containers,
                int replicas) {
            this(id, name, revision, domains, agentIds, targets, containers, replicas, TlsSetting.OFF);
        }
    }

    /**
     * A service's {@code tls} field: what HTTPS it asks for. The proxy module validates its shape only;
     * the module serving TLS (certificates, a {@link ProxySpecContributor} registered with
     * {@link ProxySpecContributor#PROVIDES}{@code =}{@link ProxySpecContributor#PROVIDES_TLS}) acts on it.
     *
     * @param mode              {@code off}, {@code auto} (an ACME certificate of the service's domains) or
     *                          {@code custom} (the uploaded certificate {@code certificateId})
     * @param certificateId     the certificate's id (a UUID) with {@code custom}, else null
     * @param redirectHttp      whether plain HTTP answers 301 to HTTPS once a certificate is served
     * @param hstsMaxAgeSeconds the {@code Strict-Transport-Security} max-age, or null for no header
     */
    record TlsSetting(String mode, String certificateId, boolean redirectHttp, Long hstsMaxAgeSeconds) {
        public static final String OFF_MODE = "off";
        public static final String AUTO = "auto";
        public static final String CUSTOM = "custom";
        /** No TLS. */
        public static final TlsSetting OFF = new TlsSetting(OFF_MODE, null, true, null);

        public TlsSetting {
            mode = mode == null ? OFF_MODE : mode;
        }

        /** @return whether the service asks for HTTPS */
        public boolean enabled() {
            return !OFF_MODE.equals(mode);
        }
    }
}
