package dev.fleetgate.alerts.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

/** Validation of the REST inputs into the module's records, with field errors. */
public final class Inputs {
    static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]{0,199}");
    static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");
    static final Pattern EVENT_KIND = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");
    static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    static final Set<String> OPS = Set.of(">", ">=", "<", "<=");
    static final Set<String> AGGREGATES = Set.of("avg", "max", "min", "last");
    static final int MAX_SECONDS = 30 * 86400;

    private Inputs() {
    }

    /** @throws ApiException 400 with every field at fault */
    public static Rule rule(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("", "must be a JSON object");
        }
        unknown(body, Set.of("id", "name", "kind", "enabled", "severity", "metric", "labels", "aggregate",
                "windowSeconds", "op", "threshold", "clearThreshold", "forSeconds", "clearForSeconds", "eventKind",
                "repeatIntervalSeconds", "channelIds", "builtin", "createdAt", "updatedAt"), "", errors);
        String name = text(body, "name", true, 200, errors);
        String kind = choice(body, "kind", Set.of("metric", "event"), "metric", errors);
        boolean enabled = bool(body, "enabled", true, errors);
        String severity = choice(body, "severity", SEVERITIES, "warning", errors);
        boolean metric = "metric".equals(kind);
        String metricName = null;
        Map<String, String> labels = new TreeMap<>();
        String aggregate = choice(body, "aggregate", AGGREGATES, "last", errors);
        int window = integer(body, "windowSeconds", 0, 0, 86400, errors);
        String op = choice(body, "op", OPS, metric ? null : ">", errors);
        Double threshold = number(body, "threshold", errors);
        Double clear = number(body, "clearThreshold", errors);
        int forSeconds = integer(body, "forSeconds", 0, 0, MAX_SECONDS, errors);
        int clearFor = integer(body, "clearForSeconds", 0, 0, MAX_SECONDS, errors);
        int repeat = integer(body, "repeatIntervalSeconds", 0, 0, MAX_SECONDS, errors);
        if (repeat > 0 && repeat < 60) {
            errors.add(new FieldError("repeatIntervalSeconds", "must be 0 (no repeat) or at least 60"));
        }
        String eventKind = null;
        if (metric) {
            metricName = text(body, "metric", true, 200, errors);
            if (metricName != null && !METRIC.matcher(metricName).matches()) {
                errors.add(new FieldError("metric", "must be a metric name like host_cpu_usage_percent"));
            }
            labels = labels(body.get("labels"), errors);
            if (!body.hasNonNull("op")) {
                errors.add(new FieldError("op", "is required for a metric rule"));
            }
            if (!body.hasNonNull("threshold")) {
                errors.add(new FieldError("threshold", "is required for a metric rule"));
            }
            if (!"last".equals(aggregate) && window == 0 && body.has("aggregate")) {
                errors.add(new FieldError("windowSeconds", "must be at least 1 with aggregate " + aggregate));
            }
            if (threshold != null && clear != null && op != null) {
                boolean above = op.startsWith(">");
                if (above ? clear > threshold : clear < threshold) {
                    errors.add(new FieldError("clearThreshold", "must be " + (above ? "at most" : "at least")
                            + " the threshold (the value must go back past it to resolve)"));
                }
            }
        } else {
            eventKind = text(body, "eventKind", true, 100, errors);
            if (eventKind != null && !EVENT_KIND.matcher(eventKind).matches()) {
                errors.add(new FieldError("eventKind", "must be lower case letters, digits, '.', '_', '-' "
                        + "(e.g. agent.offline)"));
            }
            if (body.hasNonNull("metric")) {
                errors.add(new FieldError("metric", "only for metric rules"));
            }
        }
        List<UUID> channels = uuids(body.get("channelIds"), "channelIds", 20, errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Rule(null, name, kind, enabled, severity, metricName, labels, aggregate, window,
                op == null ? ">" : op, threshold, clear, forSeconds, clearFor, eventKind, repeat, channels, false,
                null, null);
    }

    /** A silence from {@code {"ruleId"?, "subject"?, "until" | "durationSeconds", "comment"?}}. */
    public static Silence silence(JsonNode body, String user) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        unknown(body, Set.of("ruleId", "subject", "until", "durationSeconds", "comment"), "", errors);
        UUID ruleId = null;
        JsonNode r = body.get("ruleId");
        if (r != null && !r.isNull()) {
            if (!r.isTextual() || !UUID_TEXT.matcher(r.asText()).matches()) {
                errors.add(new FieldError("ruleId", "must be a rule id (a UUID)"));
            } else {
                ruleId = UUID.fromString(r.asText().toLowerCase(Locale.ROOT));
            }
        }
        String subject = text(body, "subject", false, 500, errors);
        String comment = text(body, "comment", false, 500, errors);
        Instant until = null;
        boolean hasUntil = body.hasNonNull("until");
        boolean hasDuration = body.hasNonNull("durationSeconds");
        if (hasUntil == hasDuration) {
            errors.add(new FieldError("until", "give either until (ISO-8601) or durationSeconds"));
        } else if (hasUntil) {
            JsonNode u = body.get("until");
            try {
                until = u.isTextual() && u.asText().length() < 60 ? OffsetDateTime.parse(u.asText()).toInstant() : null;
            } catch (DateTimeParseException e) {
                until = null;
            }
            if (until == null) {
                errors.add(new FieldError("until", "must be an ISO-8601 time like 2026-12-01T10:00:00Z"));
            } else if (!until.isAfter(Instant.now())) {
                errors.add(new FieldError("until", "must be in the future"));
            } else if (until.isAfter(Instant.now().plusSeconds(366L * 86400))) {
                errors.add(new FieldError("until", "must be within a year"));
            }
        } else {
            int d = integer(body, "durationSeconds", 0, 60, 366 * 86400, errors);
            until = Instant.now().plusSeconds(d);
        }
        if (ruleId == null && subject == null && errors.isEmpty()) {
            errors.add(new FieldError("subject", "give a ruleId, a subject or both (a silence of everything is "
                    + "not allowed)"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Silence(null, ruleId, subject, until, comment, user, null);
    }

    static Map<String, String> labels(JsonNode n, List<FieldError> errors) {
        Map<String, String> out = new TreeMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject() || n.size() > 30) {
            errors.add(new FieldError("labels", "must be an object of at most 30 label filters"));
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String field = "labels." + (key.length() > 100 ? key.substring(0, 100) : key);
            if (!LABEL.matcher(key).matches()) {
                errors.add(new FieldError(field, "is not a label name"));
            } else if (!e.getValue().isTextual() || e.getValue().asText().length() > 512
                    || Http.hasControl(e.getValue().asText())) {
                errors.add(new FieldError(field, "must be a string of at most 512 characters"));
            } else {
                out.put(key, e.getValue().asText());
            }
        }
        return out;
    }

    static List<UUID> uuids(JsonNode n, String field, int max, List<FieldError> errors) {
        List<UUID> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray() || n.size() > max) {
            errors.add(new FieldError(field, "must be an array of at most " + max + " ids"));
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode v = n.get(i);
            if (!v.isTextual() || !UUID_TEXT.matcher(v.asText()).matches()) {
                errors.add(new FieldError(field + "[" + i + "]", "must be an id (a UUID)"));
            } else {
                UUID id = UUID.fromString(v.asText().toLowerCase(Locale.ROOT));
                if (!out.contains(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    static void unknown(JsonNode body, Set<String> known, String prefix, List<FieldError> errors) {
        Iterator<String> it = body.fieldNames();
        while (it.hasNext()) {
            String n = it.next();
            if (!known.contains(n)) {
                errors.add(new FieldError(prefix + (n.length() > 100 ? n.substring(0, 100) : n), "is not a known field"));
            }
        }
    }

    public static String text(JsonNode body, String field, boolean required, int max, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max || Http.hasControl(v.asText())) {
            errors.add(new FieldError(field, "must be a non-empty string of at most " + max
                    + " characters without control characters"));
            return null;
        }
        return v.asText().strip();
    }

    static String choice(JsonNode body, String field, Set<String> allowed, String dflt, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual() || !allowed.contains(v.asText())) {
            errors.add(new FieldError(field, "must be one of " + new java.util.TreeSet<>(allowed)));
            return dflt;
        }
        return v.asText();
    }

    static boolean bool(JsonNode body, String field, boolean dflt, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            errors.add(new FieldError(field, "must be true or false"));
            return dflt;
        }
        return v.asBoolean();
    }

    public static int integer(JsonNode body, String field, int dflt, int min, int max, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
            return dflt;
        }
        return (int) v.asLong();
    }

    static Double number(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || Math.abs(v.asDouble()) > 1e15) {
            errors.add(new FieldError(field, "must be a finite number"));
            return null;
        }
        return v.asDouble();
    }
}
