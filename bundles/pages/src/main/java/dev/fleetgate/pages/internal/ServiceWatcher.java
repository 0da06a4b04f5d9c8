package dev.fleetgate.pages.internal;

import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import dev.fleetgate.proxy.ServiceDirectory;

/** Forgets the pages and maintenance of a deleted service. */
@Component(service = EventHandler.class, property = EventConstants.EVENT_TOPIC + "=" + ServiceDirectory.TOPIC_CHANGED)
public final class ServiceWatcher implements EventHandler {
    private final PagesService pages;

    @Activate
    public ServiceWatcher(@Reference PagesService pages) {
        this.pages = pages;
    }

    @Override
    public void handleEvent(Event event) {
        Object id = event.getProperty("serviceId");
        if ("DELETED".equals(String.valueOf(event.getProperty("action"))) && id != null) {
            try {
                pages.forget(UUID.fromString(id.toString()));
            } catch (IllegalArgumentException e) {
                // not a service id
            }
        }
    }
}
