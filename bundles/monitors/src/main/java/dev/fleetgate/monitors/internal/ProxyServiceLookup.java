package dev.fleetgate.monitors.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.proxy.ServiceDirectory;

/** {@link ServiceLookup} over the proxy module's {@link ServiceDirectory}; comes and goes with it. */
@Component(service = ServiceLookup.class)
public final class ProxyServiceLookup implements ServiceLookup {
    private final ServiceDirectory directory;

    @Activate
    public ProxyServiceLookup(@Reference ServiceDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Optional<Service> service(String id) {
        return directory.service(id).map(s -> new Service(s.id(), s.name(), s.domains()));
    }
}
