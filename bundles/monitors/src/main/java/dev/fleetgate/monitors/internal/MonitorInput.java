package dev.fleetgate.monitors.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.input.Fields;

/**
 * A validated monitor definition (POST/PUT body).
 *
 * @param type          {@code http} (target: an http(s) URL), {@code tls} (target: {@code host[:port]}, port 443),
 *                      {@code dns} (target: a DNS name) or {@code json} (target: an http(s) URL answering JSON)
 * @param expect        normalised: {@code statuses} (http; empty = any 2xx/3xx), {@code maxLatencyMs}?,
 *                      {@code bodyContains}?, {@code minDaysLeft} (tls; default 14), {@code values} (dns)
 * @param options       {@code recordType} (dns, default A) and {@code resolver}? (dns, {@code host[:port]}),
 *                      {@code headers}? (http, json: request headers)
 * @param confirmAgents K: DOWN needs at least K failing agents; null = every agent that reported
 * @param serviceId     the proxy service the monitor is attached to (its domains are checked), or null
 */
public record MonitorInput(
        String name,
        String type,
        String target,
        int intervalSeconds,
        List<String> agentIds,
        ObjectNode expect,
        boolean followRedirects,
        int confirmations,
        int timeoutMs,
        ObjectNode options,
        Integer confirmAgents,
        String serviceId) {

    public static final List<String> TYPES = List.of("http", "tls", "dns", "json");
    public static final List<String> RECORD_TYPES =
            List.of("A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV", "PTR", "SOA", "CAA");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final Set<String> RESERVED_HEADERS =
            Set.of("host", "connection", "content-length", "transfer-encoding");

    public static final int MIN_INTERVAL = 10;
    public static final int MAX_INTERVAL = 86_400;
    public static final int DEFAULT_INTERVAL = 60;
    public static final int MAX_AGENTS = 50;
    private static final Pattern HOST =
            Pattern.compile("(?i)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]{2,45}\\]");

    /** @throws ApiException 400 naming every bad field */
    public static MonitorInput parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        Fields errors = new Fields();
        String name = errors.plainText(body, "name", "name", true, 100);
        String type = errors.text(body, "type", "type", true, 10);
        if (type != null) {
            type = type.toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                errors.error("type", "must be http, tls, dns or json");
                type = null;
            }
        }
        JsonNode service = body.get("serviceId");
        boolean attached = !Fields.absent(service);
        UUID serviceId = attached
                ? errors.uuid(service.isTextual() ? service.asText() : null, "serviceId", "must be a service id (UUID)")
                : null;
        String target = errors.text(body, "target", "target", !attached, 2000);
        if (target != null && target.isEmpty()) {
            errors.error("target", "must not be empty");
            target = null;
        } else if (target != null && type != null) {
            String why = attached ? checkAttachedTarget(type, target) : checkTarget(type, target);
            if (why != null) {
                errors.error("target", why);
            }
        }
        if (attached && target == null) {
            target = "json".equals(type) || "http".equals(type) ? "/" : "";
        }
        Integer interval = errors.integer(
                body, "intervalSeconds", "intervalSeconds", MIN_INTERVAL, MAX_INTERVAL, DEFAULT_INTERVAL);
        List<String> agents = agentIds(body, errors);
        ObjectNode expect = expect(body, errors);
        boolean follow = errors.bool(body, "followRedirects", "followRedirects", true);
        Integer confirmations = errors.integer(body, "confirmations", "confirmations", 1, 20, 2);
        Integer timeout = errors.integer(body, "timeoutMs", "timeoutMs", 100, 60_000, 10_000);
        ObjectNode options = options(body, type, errors);
        Integer confirmAgents = errors.integer(body, "confirmAgents", "confirmAgents", 1, MAX_AGENTS, null);
        if (confirmAgents != null && confirmAgents > agents.size() && !agents.isEmpty()) {
            errors.error("confirmAgents", "must be at most the number of agents (" + agents.size() + ")");
        }
        errors.check();
        return new MonitorInput(
                name,
                type,
                target,
                interval,
                agents,
                expect,
                follow,
                confirmations,
                timeout,
                options,
                confirmAgents,
                serviceId == null ? null : serviceId.toString());
    }

    static String checkTarget(String type, String target) {
        return switch (type) {
            case "http", "json" -> checkUrl(target);
            case "dns" ->
                target.contains(":") || !HOST.matcher(target).matches() || target.length() > 253
                        ? "must be a DNS name"
                        : null;
            default -> checkHostPort(target);
        };
    }

    /** Attached to a service the target is a path (http, json), a port (tls: {@code :8443}) or empty (dns). */
    static String checkAttachedTarget(String type, String target) {
        return switch (type) {
            case "http", "json" ->
                target.startsWith("/") && checkUrl("http://service.invalid" + target) == null
                        ? null
                        : "with serviceId: a path starting with /";
            case "tls" ->
                target.matches(":[0-9]{1,5}")
                                && Integer.parseInt(target.substring(1)) >= 1
                                && Integer.parseInt(target.substring(1)) <= 65535
                        ? null
                        : "with serviceId: empty or :port";
            default -> "with serviceId: must be empty (the service's domains are checked)";
        };
    }

    private static ObjectNode options(JsonNode body, String type, Fields errors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if ("dns".equals(type)) {
            String rt = errors.text(body, "recordType", "recordType", false, 10);
            rt = rt == null ? "A" : rt.toUpperCase(Locale.ROOT);
            if (!RECORD_TYPES.contains(rt)) {
                errors.error("recordType", "must be one of " + RECORD_TYPES);
            }
            out.put("recordType", rt);
            String resolver = errors.text(body, "resolver", "resolver", false, 260);
            if (resolver != null) {
                String why = checkHostPort(resolver);
                if (why != null) {
                    errors.error("resolver", why.replace("port must", "the port must"));
                } else {
                    out.put("resolver", resolver);
                }
            }
        } else {
            for (String f : List.of("recordType", "resolver")) {
                if (!Fields.absent(body.get(f))) {
                    errors.error(f, "only for dns monitors");
                }
            }
        }
        JsonNode h = body.get("headers");
        if (!Fields.absent(h)) {
            if (!"http".equals(type) && !"json".equals(type)) {
                errors.error("headers", "only for http and json monitors");
            } else if (!h.isObject() || h.size() > 20) {
                errors.error("headers", "must be an object of at most 20 headers");
            } else {
                ObjectNode headers = out.putObject("headers");
                h.fields().forEachRemaining(e -> {
                    String field = Fields.path("headers", Fields.quoted(e.getKey()));
                    String v = e.getValue().isTextual() ? e.getValue().asText() : null;
                    if (!HEADER_NAME.matcher(e.getKey()).matches()
                            || RESERVED_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                        errors.error(field, "not an allowed header name");
                    } else if (v == null
                            || v.length() > 4000
                            || v.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c > 0xff)) {
                        errors.error(
                                field,
                                "must be a string of at most 4000 Latin-1 characters without control characters");
                    } else {
                        headers.put(e.getKey(), v);
                    }
                });
            }
        }
        return out;
    }

    static String checkUrl(String target) {
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            return "not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return "must be an http:// or https:// URL with a host";
        }
        if (uri.getUserInfo() != null) {
            return "must not contain credentials";
        }
        return null;
    }

    static String checkHostPort(String target) {
        String host = target;
        int colon = target.lastIndexOf(':');
        if (colon > 0 && colon > target.lastIndexOf(']')) {
            host = target.substring(0, colon);
            String port = target.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                return "port must be 1 to 65535";
            }
        }
        if (!(HOST.matcher(host).matches() || IPV6.matcher(host).matches()) || host.length() > 253) {
            return "must be host or host:port (IPv6 in brackets)";
        }
        return null;
    }

    private static List<String> agentIds(JsonNode body, Fields errors) {
        JsonNode n = errors.array(body, "agentIds", "agentIds", true, MAX_AGENTS);
        if (n == null) {
            return List.of();
        }
        if (n.isEmpty()) {
            errors.error("agentIds", "must be an array of 1 to " + MAX_AGENTS + " agent ids");
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode a = n.get(i);
            if (!a.isTextual() || a.asText().isEmpty() || a.asText().length() > 100) {
                errors.error(Fields.index("agentIds", i), "must be an agent id");
            } else {
                out.add(a.asText());
            }
        }
        return List.copyOf(out);
    }

    private static ObjectNode expect(JsonNode body, Fields errors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode statuses = out.putArray("statuses");
        out.put("minDaysLeft", 14);
        JsonNode n = errors.object(body, "expect", "expect", false);
        if (n == null) {
            return out;
        }
        JsonNode s = errors.array(n, "statuses", "expect.statuses", false, 20);
        for (int i = 0; s != null && i < s.size(); i++) {
            JsonNode v = s.get(i);
            if (!v.isIntegralNumber() || v.asInt() < 100 || v.asInt() > 599) {
                errors.error(Fields.index("expect.statuses", i), "must be an HTTP status 100 to 599");
            } else {
                statuses.add(v.asInt());
            }
        }
        Integer latency = errors.integer(n, "maxLatencyMs", "expect.maxLatencyMs", 1, 60_000, null);
        if (latency != null) {
            out.put("maxLatencyMs", latency);
        }
        String contains = errors.text(n, "bodyContains", "expect.bodyContains", false, 1000);
        if (contains != null && (contains.isEmpty() || contains.indexOf('\u0000') >= 0)) {
            errors.error("expect.bodyContains", "must be a string of 1 to 1000 characters, without U+0000");
        } else if (contains != null) {
            out.put("bodyContains", contains);
        }
        JsonNode values = errors.array(n, "values", "expect.values", false, 50);
        if (values != null) {
            ArrayNode v = out.putArray("values");
            for (int i = 0; i < values.size(); i++) {
                JsonNode x = values.get(i);
                if (!x.isTextual()
                        || x.asText().isBlank()
                        || x.asText().length() > 500
                        || Fields.hasControl(x.asText())) {
                    errors.error(Fields.index("expect.values", i), "must be a record value (1 to 500 characters)");
                } else {
                    v.add(x.asText());
                }
            }
        }
        Integer days = errors.integer(n, "minDaysLeft", "expect.minDaysLeft", 0, 365, 14);
        out.put("minDaysLeft", days == null ? 14 : days);
        return out;
    }
}
