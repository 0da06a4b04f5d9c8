package dev.fleetgate.metrics.internal;

import java.util.List;
import java.util.Optional;

/**
 * The services scrapes refer to, as this module needs them. Implemented over the proxy
 * module's {@code ServiceDirectory} ({@link ProxyServiceCatalog}), the only class of this
 * bundle that loads the proxy's; it is not {@link #available()} while the proxy module is
 * stopped, and not registered at all when the proxy's package is not there.
 */
public interface ServiceCatalog {

    /** A static upstream target. */
    record Target(String host, int port) {}

    /** A service: id, name, the agents it is placed on, its static targets. */
    record Service(String id, String name, List<String> agentIds, List<Target> targets) {}

    /** @return whether the services can be read (the proxy module is running) */
    boolean available();

    /** @return every service; empty when not {@link #available()} */
    List<Service> services();

    Optional<Service> service(String id);
}
