package dev.fleetgate.monitors.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.fleetgate.proxy.ServiceDirectory;

/**
 * {@link ServiceLookup} over the proxy module's {@link ServiceDirectory}. The reference is
 * optional so that the bundle's service requirements stay optional: the module resolves and
 * runs without the proxy module (then {@link #available()} is false).
 */
@Component(service = ServiceLookup.class)
public final class ProxyServiceLookup implements ServiceLookup {

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServiceDirectory directory;

    @Override
    public boolean available() {
        return directory != null;
    }

    @Override
    public Optional<Service> service(String id) {
        ServiceDirectory d = directory;
        return d == null ? Optional.empty() : d.service(id).map(s -> new Service(s.id(), s.name(), s.domains()));
    }
}
