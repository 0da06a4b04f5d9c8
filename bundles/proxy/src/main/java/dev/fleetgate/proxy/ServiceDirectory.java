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
     */
    record ServiceInfo(String id, String name, long revision, List<String> domains, List<String> agentIds,
            List<Target> targets, boolean containers, int replicas) {
    }
}
