package dev.fleetgate.agent.probe.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;

/**
 * Task type {@code json.probe}: polls a resource endpoint answering a JSON object such as
 * {@code {"cpu": 60, "mem": "30%", "disk": "43%", "uptime": "1d 2h 37m 6s"}}. Payload
 * {@code {"url", "timeoutMs"?: 5000, "headers"?: {..}}} → {@code {"ok", "status", "latencyMs", "timing",
 * "fields": {name: number}, "units": {name: "percent"|"seconds"}, "skipped": [names], "errorKind"?, "error"?}}.
 *
 * <p>Values: numbers as they are, booleans 1/0, strings holding a number, a percentage
 * ({@code "30%"} → 30, unit {@code percent}) or a duration ({@code "1d 2h 37m 6s"}, {@code "90s"},
 * {@code "250ms"} → seconds). Nested objects are flattened with {@code _} (three levels); field
 * names become {@code [a-z0-9_]}. Anything else is listed in {@code skipped}. At most
 * {@link #MAX_FIELDS} fields. Not 2xx, or not a JSON object: {@code status} / {@code content}.
 */
@Component(property = TaskHandler.TYPE + "=json.probe")
public final class JsonProbeHandler implements TaskHandler {
    static final int MAX_FIELDS = 100;
    private static final int MAX_BODY = 256 * 1024;
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    private static final Pattern PERCENT = Pattern.compile("([-+]?[0-9]+(\\.[0-9]+)?)\\s*%");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(\\.[0-9]+)?)\\s*(ms|w|d|h|m|s)");
    private static final Pattern DURATION = Pattern.compile("(\\s*[0-9]+(\\.[0-9]+)?\\s*(ms|w|d|h|m|s)\\s*)+");
    /** Jackson's default read constraints (nesting depth 1,000) bound what an endpoint can make us parse. */
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public JsonNode handle(Task task) {
        JsonNode p = task.payload();
        URI url = ProbeRequest.url(p.path("url").asText(""));
        int timeout =
                ProbeRequest.integer(p, "timeoutMs", 1, ProbeRequest.MAX_TIMEOUT_MS, ProbeRequest.DEFAULT_TIMEOUT_MS);
        Map<String, String> headers = ProbeRequest.headers(p.get("headers"));
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(timeout);
        byte[] body;
        int status;
        ObjectNode timing;
        try (HttpExchange.Response r = HttpExchange.send(url, "GET", withAccept(headers), deadline)) {
            status = r.status();
            timing = HttpProbeHandler.timing(r.timing(), 0);
            if (status < 200 || status > 299) {
                return HttpProbeHandler.failed(
                        result, started, "status", "unexpected status " + status + " (expected 2xx)", status);
            }
            body = r.body(MAX_BODY, deadline);
        } catch (HttpExchange.Failure e) {
            return HttpProbeHandler.failed(
                    result,
                    started,
                    e.kind,
                    e.kind.equals("timeout") ? "timed out after " + timeout + " ms" : e.getMessage());
        } catch (SocketTimeoutException e) {
            return HttpProbeHandler.failed(result, started, "timeout", "timed out after " + timeout + " ms");
        } catch (IOException | NumberFormatException e) {
            return HttpProbeHandler.failed(result, started, "connect", "reading the body failed: " + e.getMessage());
        }
        result.put("status", status);
        long total = HttpProbeHandler.elapsedMs(started);
        result.put("latencyMs", total);
        timing.put("totalMs", total);
        result.set("timing", timing);
        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return HttpProbeHandler.verdict(result, "content", "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return HttpProbeHandler.verdict(result, "content", "not JSON");
        }
        if (doc == null || !doc.isObject()) {
            return HttpProbeHandler.verdict(result, "content", "not a JSON object");
        }
        ObjectNode fields = result.putObject("fields");
        ObjectNode units = result.putObject("units");
        List<String> skipped = new ArrayList<>();
        flatten(doc, "", 0, fields, units, skipped);
        skipped.stream().limit(MAX_FIELDS).forEach(result.putArray("skipped")::add);
        if (fields.isEmpty()) {
            return HttpProbeHandler.verdict(result, "content", "no numeric field in the answer");
        }
        result.put("ok", true);
        return result;
    }

    private static Map<String, String> withAccept(Map<String, String> headers) {
        if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("accept"))) {
            return headers;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("Accept", "application/json");
        return all;
    }

    private static void flatten(
            JsonNode node, String prefix, int depth, ObjectNode fields, ObjectNode units, List<String> skipped) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + name(e.getKey());
            if (fields.size() >= MAX_FIELDS) {
                skipped.add(name);
                continue;
            }
            JsonNode v = e.getValue();
            if (v.isObject() && depth < 2) {
                flatten(v, name + "_", depth + 1, fields, units, skipped);
                continue;
            }
            Parsed parsed = parse(v);
            if (parsed == null || name.isEmpty()) {
                skipped.add(name.isEmpty() ? e.getKey() : name);
            } else {
                fields.put(name, parsed.value());
                if (parsed.unit() != null) {
                    units.put(name, parsed.unit());
                }
            }
        }
    }

    /** A field name as a metric name part: lower case, [a-z0-9_], at most 60 characters. */
    static String name(String key) {
        String s = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        return s.length() > 60 ? s.substring(0, 60) : s;
    }

    /** A value and its unit (null: a plain number). */
    record Parsed(double value, String unit) {}

    /** @return the value of a JSON member, or null when it is not a number, percentage or duration */
    static Parsed parse(JsonNode v) {
        if (v.isNumber()) {
            return finite(v.asDouble(), null);
        }
        if (v.isBoolean()) {
            return new Parsed(v.asBoolean() ? 1 : 0, null);
        }
        if (!v.isTextual()) {
            return null;
        }
        String s = v.asText().strip();
        if (s.length() > 100) {
            return null;
        }
        if (NUMBER.matcher(s).matches()) {
            return finite(Double.parseDouble(s), null);
        }
        Matcher percent = PERCENT.matcher(s);
        if (percent.matches()) {
            return finite(Double.parseDouble(percent.group(1)), "percent");
        }
        if (DURATION.matcher(s.toLowerCase(Locale.ROOT)).matches()) {
            double seconds = 0;
            Matcher m = DURATION_PART.matcher(s.toLowerCase(Locale.ROOT));
            while (m.find()) {
                double n = Double.parseDouble(m.group(1));
                seconds += switch (m.group(3)) {
                    case "w" -> n * 604_800;
                    case "d" -> n * 86_400;
                    case "h" -> n * 3_600;
                    case "m" -> n * 60;
                    case "ms" -> n / 1000;
                    default -> n;
                };
            }
            return finite(seconds, "seconds");
        }
        return null;
    }

    private static Parsed finite(double d, String unit) {
        return Double.isFinite(d) ? new Parsed(d, unit) : null;
    }
}
