package dev.fleetgate.monitors.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.input.Fields;

/**
 * A monitor definition as given, not yet validated: built by the shell from its options or read from a POST/PUT body
 * ({@link #read}); {@link MonitorInput#validate} checks it. Null means not given (the default applies).
 *
 * @param agentIds agent ids or names as given; a null element is one that was not a string
 * @param headers  request headers in the order given (http, json)
 */
public record MonitorDraft(
        String name,
        String type,
        String target,
        Integer intervalSeconds,
        List<String> agentIds,
        Expect expect,
        Boolean followRedirects,
        Integer confirmations,
        Integer timeoutMs,
        String recordType,
        String resolver,
        List<Header> headers,
        Integer confirmAgents,
        String serviceId) {

    /** What a check expects; null members are not given. A null list element was not of the right JSON type. */
    public record Expect(
            List<Integer> statuses,
            Integer maxLatencyMs,
            String bodyContains,
            List<String> values,
            Integer minDaysLeft) {}

    /**
     * A request header: its value, or {@code keep} (the update keeps the stored value, {@code {"set": true}} in
     * JSON); a null value without keep was not a string.
     */
    public record Header(String name, String value, boolean keep) {}

    /**
     * Reads the members of a JSON object as they are: a member of the wrong JSON type is left null and marked
     * {@link Fields#malformed malformed} in {@code bad}, for {@link MonitorInput#validate} to report in its order.
     */
    public static MonitorDraft read(JsonNode body, Fields bad) {
        JsonNode e = body.get("expect");
        Expect expect = null;
        if (!Fields.absent(e)) {
            if (e.isObject()) {
                expect = new Expect(
                        integers(e, "statuses", "expect.statuses", bad),
                        integer(e, "maxLatencyMs", "expect.maxLatencyMs", bad),
                        text(e, "bodyContains", "expect.bodyContains", bad),
                        strings(e, "values", "expect.values", bad),
                        integer(e, "minDaysLeft", "expect.minDaysLeft", bad));
            } else {
                bad.malformed("expect");
            }
        }
        JsonNode follow = body.get("followRedirects");
        Boolean followRedirects = null;
        if (!Fields.absent(follow)) {
            if (follow.isBoolean()) {
                followRedirects = follow.asBoolean();
            } else {
                bad.malformed("followRedirects");
            }
        }
        JsonNode service = body.get("serviceId");
        String serviceId = null;
        if (!Fields.absent(service)) {
            if (service.isTextual()) {
                serviceId = service.asText();
            } else {
                bad.malformed("serviceId");
            }
        }
        return new MonitorDraft(
                text(body, "name", "name", bad),
                text(body, "type", "type", bad),
                text(body, "target", "target", bad),
                integer(body, "intervalSeconds", "intervalSeconds", bad),
                strings(body, "agentIds", "agentIds", bad),
                expect,
                followRedirects,
                integer(body, "confirmations", "confirmations", bad),
                integer(body, "timeoutMs", "timeoutMs", bad),
                text(body, "recordType", "recordType", bad),
                text(body, "resolver", "resolver", bad),
                headers(body, bad),
                integer(body, "confirmAgents", "confirmAgents", bad),
                serviceId);
    }

    private static String text(JsonNode parent, String name, String field, Fields bad) {
        JsonNode n = parent.get(name);
        if (Fields.absent(n)) {
            return null;
        }
        if (!n.isTextual()) {
            bad.malformed(field);
            return null;
        }
        return n.asText();
    }

    private static Integer integer(JsonNode parent, String name, String field, Fields bad) {
        JsonNode n = parent.get(name);
        if (Fields.absent(n)) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            bad.malformed(field);
            return null;
        }
        return n.asInt();
    }

    private static List<String> strings(JsonNode parent, String name, String field, Fields bad) {
        JsonNode n = array(parent, name, field, bad);
        if (n == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.isTextual() ? x.asText() : null));
        return out;
    }

    private static List<Integer> integers(JsonNode parent, String name, String field, Fields bad) {
        JsonNode n = array(parent, name, field, bad);
        if (n == null) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        n.forEach(x -> out.add(x.isIntegralNumber() && x.canConvertToInt() ? x.asInt() : null));
        return out;
    }

    private static JsonNode array(JsonNode parent, String name, String field, Fields bad) {
        JsonNode n = parent.get(name);
        if (Fields.absent(n)) {
            return null;
        }
        if (!n.isArray()) {
            bad.malformed(field);
            return null;
        }
        return n;
    }

    private static List<Header> headers(JsonNode body, Fields bad) {
        JsonNode h = body.get("headers");
        if (Fields.absent(h)) {
            return null;
        }
        if (!h.isObject()) {
            bad.malformed("headers");
            return null;
        }
        List<Header> out = new ArrayList<>();
        h.fields().forEachRemaining(e -> {
            boolean keep = SecretHeaders.isKeep(e.getValue());
            String v = e.getValue().isTextual() ? e.getValue().asText() : null;
            out.add(new Header(e.getKey(), v, keep));
        });
        return out;
    }
}
