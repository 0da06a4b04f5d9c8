package dev.fleetgate.monitors.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import dev.fleetgate.metrics.MetricSeries;

/**
 * The recent traffic of each proxy service, for incident reports: listens to the metrics
 * module's {@code fleetgate/metrics/batch} and keeps, per (service name, agent), the newest
 * {@code service_requests_per_second} and {@code service_responses_per_second{status="5xx"}} the
 * agents' nginx collectors sent. Only what this core stored is seen (each core hears its own
 * agents' batches). Without the metrics module nothing arrives and reports have no rate.
 */
@Component(
        service = {ServiceTraffic.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + ServiceTraffic.TOPIC)
public final class ServiceTraffic implements EventHandler {
    static final String TOPIC = "fleetgate/metrics/batch";
    /** Samples older than this do not count. */
    static final long MAX_AGE_MILLIS = 180_000;

    private record Sample(long at, double value) {}

    private final Map<List<String>, Sample> requests = new ConcurrentHashMap<>();
    private final Map<List<String>, Sample> errors = new ConcurrentHashMap<>();

    /** Requests per second and the share answered 5xx, summed over the agents that reported. */
    public record Rate(double requestsPerSecond, double errorsPerSecond) {
        public double errorPercent() {
            return requestsPerSecond <= 0 ? 0 : 100 * errorsPerSecond / requestsPerSecond;
        }
    }

    @Override
    public void handleEvent(Event event) {
        try {
            if (event.getProperty("series") instanceof List<?> series) {
                for (Object o : series) {
                    if (o instanceof MetricSeries s) {
                        accept(s.name(), s.labels(), latestTime(s.timestamps()), s.latest());
                    }
                }
            }
        } catch (NoClassDefFoundError e) {
            // the metrics module's package is not there: nothing to learn
        }
    }

    private static long latestTime(long[] timestamps) {
        long max = Long.MIN_VALUE;
        for (long t : timestamps) {
            max = Math.max(max, t);
        }
        return max;
    }

    void accept(String name, Map<String, String> labels, long at, double value) {
        String service = labels.get("service");
        if (service == null || Double.isNaN(value)) {
            return;
        }
        List<String> key = List.of(service, String.valueOf(labels.get("agent")));
        if ("service_requests_per_second".equals(name)) {
            requests.merge(key, new Sample(at, value), (a, b) -> b.at >= a.at ? b : a);
        } else if ("service_responses_per_second".equals(name) && "5xx".equals(labels.get("status"))) {
            errors.merge(key, new Sample(at, value), (a, b) -> b.at >= a.at ? b : a);
        }
    }

    /** @return the service's recent rate, or empty when no agent reported it lately */
    public Optional<Rate> rate(String serviceName, long nowMillis) {
        double req = 0;
        double err = 0;
        boolean any = false;
        for (Map.Entry<List<String>, Sample> e : requests.entrySet()) {
            if (e.getKey().get(0).equals(serviceName) && nowMillis - e.getValue().at <= MAX_AGE_MILLIS) {
                any = true;
                req += e.getValue().value;
                Sample x = errors.get(e.getKey());
                if (x != null && nowMillis - x.at <= MAX_AGE_MILLIS) {
                    err += x.value;
                }
            }
        }
        return any ? Optional.of(new Rate(req, err)) : Optional.empty();
    }
}
