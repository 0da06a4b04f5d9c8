package dev.fleetgate.metrics.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import dev.fleetgate.api.Topics;

/** Counts the agents' sync reports this core handled, for {@code fleetgate_core_sync_reports_total}. */
@Component(service = EventHandler.class, property = EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_REPORT)
public final class ReportCounter implements EventHandler {
    private final MetricsStorage storage;

    @Activate
    public ReportCounter(@Reference MetricsStorage storage) {
        this.storage = storage;
    }

    @Override
    public void handleEvent(Event event) {
        storage.stats().syncReport();
    }
}
