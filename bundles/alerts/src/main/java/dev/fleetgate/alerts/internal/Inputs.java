package dev.fleetgate.alerts.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.input.Fields;

/** Validation of the REST inputs into the module's records, with field errors. */
public final class Inputs {
    static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]{0,199}");
    static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");
    static final Pattern EVENT_KIND = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");
    static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    static final Set<String> OPS = Set.of(">", ">=", "<", "<=");
    static final Set<String> AGGREGATES = Set.of("avg", "max", "min", "last");
    static final int MAX_SECONDS = 30 * 86400;
    static final double MAX_NUMBER = 1e15;

    private Inputs() {}

    /** @throws ApiException 400 with every field at fault */
    public static Rule rule(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("", "must be a JSON object");
        }
        Fields f = new Fields();
        f.unknown(
                body,
                Set.of(
                        "id",
                        "name",
                        "kind",
                        "enabled",
                        "severity",
                        "metric",
                        "labels",
                        "aggregate",
                        "windowSeconds",
                        "op",
                        "threshold",
                        "clearThreshold",
                        "forSeconds",
                        "clearForSeconds",
                        "eventKind",
                        "repeatIntervalSeconds",
                        "channelIds",
                        "builtin",
                        "createdAt",
                        "updatedAt"),
                "");
        String name = f.plainText(body, "name", "name", true, 200);
        String kind = f.choice(body, "kind", "kind", Set.of("metric", "event"), "metric");
        boolean enabled = f.bool(body, "enabled", "enabled", true);
        String severity = f.choice(body, "severity", "severity", SEVERITIES, "warning");
        boolean metric = "metric".equals(kind);
        String metricName = null;
        Map<String, String> labels = new TreeMap<>();
        String aggregate = f.choice(body, "aggregate", "aggregate", AGGREGATES, "last");
        int window = integer(f, body, "windowSeconds", 0, 0, 86400);
        String op = f.choice(body, "op", "op", OPS, metric ? null : ">");
        Double threshold = f.number(body, "threshold", "threshold", -MAX_NUMBER, MAX_NUMBER);
        Double clear = f.number(body, "clearThreshold", "clearThreshold", -MAX_NUMBER, MAX_NUMBER);
        int forSeconds = integer(f, body, "forSeconds", 0, 0, MAX_SECONDS);
        int clearFor = integer(f, body, "clearForSeconds", 0, 0, MAX_SECONDS);
        int repeat = integer(f, body, "repeatIntervalSeconds", 0, 0, MAX_SECONDS);
        if (repeat > 0 && repeat < 60) {
            f.error("repeatIntervalSeconds", "must be 0 (no repeat) or at least 60");
        }
        String eventKind = null;
        if (metric) {
            metricName = f.plainText(body, "metric", "metric", true, 200);
            if (metricName != null && !METRIC.matcher(metricName).matches()) {
                f.error("metric", "must be a metric name like host_cpu_usage_percent");
            }
            labels = labels(body.get("labels"), f);
            if (!body.hasNonNull("op")) {
                f.error("op", "is required for a metric rule");
            }
            if (!body.hasNonNull("threshold")) {
                f.error("threshold", "is required for a metric rule");
            }
            if (!"last".equals(aggregate) && window == 0 && body.has("aggregate")) {
                f.error("windowSeconds", "must be at least 1 with aggregate " + aggregate);
            }
            if (threshold != null && clear != null && op != null) {
                boolean above = op.startsWith(">");
                if (above ? clear > threshold : clear < threshold) {
                    f.error(
                            "clearThreshold",
                            "must be " + (above ? "at most" : "at least")
                                    + " the threshold (the value must go back past it to resolve)");
                }
            }
        } else {
            eventKind = f.plainText(body, "eventKind", "eventKind", true, 100);
            if (eventKind != null && !EVENT_KIND.matcher(eventKind).matches()) {
                f.error("eventKind", "must be lower case letters, digits, '.', '_', '-' (e.g. agent.offline)");
            }
            if (body.hasNonNull("metric")) {
                f.error("metric", "only for metric rules");
            }
            if (clearFor > 0) {
                f.error("clearForSeconds", "only for metric rules (an event rule resolves when its event clears)");
            }
        }
        List<UUID> channels = uuids(body.get("channelIds"), "channelIds", 20, f);
        f.check();
        return new Rule(
                null,
                name,
                kind,
                enabled,
                severity,
                metricName,
                labels,
                aggregate,
                window,
                op == null ? ">" : op,
                threshold,
                clear,
                forSeconds,
                clearFor,
                eventKind,
                repeat,
                channels,
                false,
                null,
                null);
    }

    /** A silence from {@code {"ruleId"?, "subject"?, "until" | "durationSeconds", "comment"?}}. */
    public static Silence silence(JsonNode body, String user) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("", "must be a JSON object");
        }
        Fields f = new Fields();
        f.unknown(body, Set.of("ruleId", "subject", "until", "durationSeconds", "comment"), "");
        UUID ruleId = null;
        JsonNode r = body.get("ruleId");
        if (!Fields.absent(r)) {
            ruleId = f.uuid(r.isTextual() ? r.asText() : null, "ruleId", "must be a rule id (a UUID)");
        }
        String subject = f.plainText(body, "subject", "subject", false, 500);
        String comment = f.plainText(body, "comment", "comment", false, 500);
        Instant until = null;
        boolean hasUntil = body.hasNonNull("until");
        boolean hasDuration = body.hasNonNull("durationSeconds");
        if (hasUntil == hasDuration) {
            f.error("until", "give either until (ISO-8601) or durationSeconds");
        } else if (hasUntil) {
            JsonNode u = body.get("until");
            try {
                until = u.isTextual() && u.asText().length() < 60
                        ? OffsetDateTime.parse(u.asText()).toInstant()
                        : null;
            } catch (DateTimeParseException e) {
                until = null;
            }
            if (until == null) {
                f.error("until", "must be an ISO-8601 time like 2026-12-01T10:00:00Z");
            } else if (!until.isAfter(Instant.now())) {
                f.error("until", "must be in the future");
            } else if (until.isAfter(Instant.now().plusSeconds(366L * 86400))) {
                f.error("until", "must be within a year");
            }
        } else {
            int d = integer(f, body, "durationSeconds", 0, 60, 366 * 86400);
            until = Instant.now().plusSeconds(d);
        }
        if (ruleId == null && subject == null && f.ok()) {
            f.error("subject", "give a ruleId, a subject or both (a silence of everything is not allowed)");
        }
        f.check();
        return new Silence(null, ruleId, subject, until, comment, user, null);
    }

    static Map<String, String> labels(JsonNode n, Fields f) {
        Map<String, String> out = new TreeMap<>();
        if (Fields.absent(n)) {
            return out;
        }
        if (!n.isObject() || n.size() > 30) {
            f.error("labels", "must be an object of at most 30 label filters");
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String field = Fields.path("labels", Fields.quoted(key));
            if (!LABEL.matcher(key).matches()) {
                f.error(field, "is not a label name");
            } else if (!e.getValue().isTextual()
                    || e.getValue().asText().length() > 512
                    || Fields.hasControl(e.getValue().asText())) {
                f.error(field, "must be a string of at most 512 characters");
            } else {
                out.put(key, e.getValue().asText());
            }
        }
        return out;
    }

    static List<UUID> uuids(JsonNode n, String field, int max, Fields f) {
        List<UUID> out = new ArrayList<>();
        if (Fields.absent(n)) {
            return out;
        }
        if (!n.isArray() || n.size() > max) {
            f.error(field, "must be an array of at most " + max + " ids");
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode v = n.get(i);
            UUID id = f.uuid(v.isTextual() ? v.asText() : null, Fields.index(field, i), "must be an id (a UUID)");
            if (id != null && !out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** An integer in [min, max]; {@code dflt} when absent or after an error. */
    static int integer(Fields f, JsonNode body, String field, int dflt, int min, int max) {
        Integer v = f.integer(body, field, field, min, max, dflt);
        return v == null ? dflt : v;
    }
}
