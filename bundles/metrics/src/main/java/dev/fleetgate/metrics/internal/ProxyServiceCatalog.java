package dev.fleetgate.metrics.internal;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.proxy.ServiceDirectory;

/**
 * {@link ServiceCatalog} over the proxy module's {@link ServiceDirectory}. On
 * {@code fleetgate/proxy/SERVICE_CHANGED} it recomputes the {@code metrics} section, and
 * forgets the scrape of a deleted service.
 */
@Component(
        service = {ServiceCatalog.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + ServiceDirectory.TOPIC_CHANGED)
public final class ProxyServiceCatalog implements ServiceCatalog, EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServiceCatalog.class);

    private final ScrapeStore scrapes;

    // Optional so that the bundle's service requirements stay optional: the module resolves
    // and runs without the proxy module (no scrapes then).
    private volatile ServiceDirectory directory;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DesiredStateService desiredState;

    @Activate
    public ProxyServiceCatalog(@Reference ScrapeStore scrapes) {
        this.scrapes = scrapes;
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unsetDirectory")
    void setDirectory(ServiceDirectory directory) {
        this.directory = directory;
        signal();
    }

    void unsetDirectory(ServiceDirectory directory) {
        if (this.directory == directory) {
            this.directory = null;
            signal();
        }
    }

    @Override
    public boolean available() {
        return directory != null;
    }

    @Override
    public List<Service> services() {
        ServiceDirectory d = directory;
        return d == null
                ? List.of()
                : d.services().stream().map(ProxyServiceCatalog::of).toList();
    }

    @Override
    public Optional<Service> service(String id) {
        ServiceDirectory d = directory;
        return d == null ? Optional.empty() : d.service(id).map(ProxyServiceCatalog::of);
    }

    @Override
    public void handleEvent(Event event) {
        Object id = event.getProperty("serviceId");
        if ("DELETED".equals(event.getProperty("action")) && id instanceof String serviceId) {
            try {
                scrapes.delete(java.util.UUID.fromString(serviceId));
            } catch (RuntimeException e) {
                LOG.warn("Could not remove the scrape of deleted service {}", serviceId, e);
            }
        }
        signal();
    }

    private void signal() {
        DesiredStateService d = desiredState;
        if (d != null) {
            d.changed(MetricsStateContributor.SECTION);
        }
    }

    static Service of(ServiceDirectory.ServiceInfo s) {
        return new Service(
                s.id(),
                s.name(),
                s.agentIds(),
                s.targets().stream().map(t -> new Target(t.host(), t.port())).toList());
    }
}
