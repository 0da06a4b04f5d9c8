package dev.fleetgate.metrics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.FieldError;

/** Scrape definitions as the REST API manages them: validation, storage, signalling the section. */
@Component(service = Scrapes.class)
public final class Scrapes {
    static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** RFC 3986 path and query characters minus {@code ; ' $} (the proxy's rule for health paths). */
    private static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~!&()*+,=:@/%?-]*");

    private static final Pattern BAD_PERCENT = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    public static final int MIN_INTERVAL = 5;
    public static final int MAX_INTERVAL = 3600;

    /** A validated definition. */
    public record Definition(String format, String path, int intervalSeconds) {}

    private final ScrapeStore store;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServiceCatalog catalog;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DesiredStateService desiredState;

    @Activate
    public Scrapes(@Reference ScrapeStore store) {
        this.store = store;
    }

    public List<ScrapeStore.Scrape> list() {
        return store.list();
    }

    public ScrapeStore.Scrape get(String serviceId) {
        return store.get(id(serviceId)).orElseThrow(() -> ApiException.notFound("Scrape of service " + serviceId));
    }

    /** @return the service's name, when the proxy module knows it */
    public Optional<String> serviceName(String serviceId) {
        ServiceCatalog c = catalog;
        return c == null ? Optional.empty() : c.service(serviceId).map(ServiceCatalog.Service::name);
    }

    /**
     * @throws ApiException 400 invalid, 404 unknown service, 503 without the proxy module
     */
    public ScrapeStore.Scrape put(String serviceId, JsonNode body) {
        UUID id = id(serviceId);
        Definition d = validate(body);
        ServiceCatalog c = catalog;
        if (c == null || !c.available()) {
            throw new ApiException(503, "The proxy module is not running: services cannot be checked");
        }
        if (c.service(id.toString()).isEmpty()) {
            throw ApiException.notFound("Service " + id);
        }
        ScrapeStore.Scrape s = store.put(id, d.format(), d.path(), d.intervalSeconds());
        signal();
        return s;
    }

    public void delete(String serviceId) {
        if (!store.delete(id(serviceId))) {
            throw ApiException.notFound("Scrape of service " + serviceId);
        }
        signal();
    }

    void signal() {
        DesiredStateService d = desiredState;
        if (d != null) {
            d.changed(MetricsStateContributor.SECTION);
        }
    }

    static UUID id(String text) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ApiException.invalid("serviceId", "is not a service id (a UUID)");
        }
        return UUID.fromString(text.toLowerCase(Locale.ROOT));
    }

    /** {@code {"format": "json"|"prometheus", "path"?: "/metrics", "intervalSeconds"?: 10}}. */
    public static Definition validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode f = body.get("format");
        String format = f != null && f.isTextual() ? f.textValue() : null;
        if (!"json".equals(format) && !"prometheus".equals(format)) {
            errors.add(new FieldError("format", "must be \"json\" or \"prometheus\""));
        }
        JsonNode p = body.get("path");
        String path = p == null || p.isNull() ? "/metrics" : p.isTextual() ? p.textValue() : null;
        if (path == null
                || path.length() > 1024
                || !URL_PATH.matcher(path).matches()
                || BAD_PERCENT.matcher(path).find()) {
            errors.add(new FieldError(
                    "path",
                    "must start with '/' and contain only URL path and query characters"
                            + " (no spaces, quotes, ';', '{', '}', '$' or '\\\\'), at most 1024"));
        }
        JsonNode i = body.get("intervalSeconds");
        int interval = 10;
        if (i != null && !i.isNull()) {
            if (!i.canConvertToExactIntegral() || i.asLong() < MIN_INTERVAL || i.asLong() > MAX_INTERVAL) {
                errors.add(new FieldError(
                        "intervalSeconds", "must be a whole number from " + MIN_INTERVAL + " to " + MAX_INTERVAL));
            } else {
                interval = i.asInt();
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Definition(format, path, interval);
    }
}
