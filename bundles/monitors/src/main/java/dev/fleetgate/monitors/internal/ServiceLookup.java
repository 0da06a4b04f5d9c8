package dev.fleetgate.monitors.internal;

import java.util.List;
import java.util.Optional;

/**
 * The proxy services monitors may be attached to, as this module needs them. Implemented over
 * the proxy module's {@code ServiceDirectory} ({@link ProxyServiceLookup}, the only class that
 * loads the proxy's package); not {@link #available()} while the proxy module is not running.
 */
public interface ServiceLookup {

    /** A service: id, unique name, normalised domains (may start with {@code *.}). */
    record Service(String id, String name, List<String> domains) {

        /** @return the first domain that is not a wildcard: the one an attached monitor checks */
        Optional<String> primaryDomain() {
            return domains.stream().filter(d -> !d.startsWith("*.")).findFirst();
        }
    }

    /** @return whether services can be read (the proxy module is running) */
    default boolean available() {
        return true;
    }

    /** @return the service, or empty when unknown or not {@link #available()} */
    Optional<Service> service(String id);
}
