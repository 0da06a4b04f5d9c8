package dev.fleetgate.certificates.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import dev.fleetgate.proxy.ServiceDirectory;

/** Follows service changes: a service with tls auto keeps a certificate of its current domains. */
@Component(service = EventHandler.class, property = EventConstants.EVENT_TOPIC + "=" + ServiceDirectory.TOPIC_CHANGED)
public final class ServiceWatcher implements EventHandler {
    private final CertificateService certificates;

    @Activate
    public ServiceWatcher(@Reference CertificateService certificates) {
        this.certificates = certificates;
    }

    @Override
    public void handleEvent(Event event) {
        Object id = event.getProperty("serviceId");
        Object action = event.getProperty("action");
        if (id != null) {
            certificates.serviceChanged(id.toString(), String.valueOf(action));
        }
    }
}
