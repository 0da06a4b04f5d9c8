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

    /**
     * Reads and validates a body with the default minimum interval.
     *
     * @throws ApiException 400 naming every bad field
     */
    public static MonitorInput parse(JsonNode body) {
        return parse(body, MIN_INTERVAL);
    }

    /** @throws ApiException 400 naming every bad field */
    public static MonitorInput parse(JsonNode body, int minInterval) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        Fields errors = new Fields();
        MonitorInput in = validate(MonitorDraft.read(body, errors), minInterval, errors);
        errors.check();
        return in;
    }

    /**
     * Validates a draft (the shell's, or a body's read by {@link MonitorDraft#read} into the same {@code errors}),
     * naming every bad field in {@code errors} with the REST API's field names and reasons.
     *
     * @param minInterval the smallest {@code intervalSeconds} allowed (configuration {@code minIntervalSeconds})
     * @return the normalised input, or null when {@code errors} has errors
     */
    public static MonitorInput validate(MonitorDraft d, int minInterval, Fields errors) {
        String name = errors.plainTextValue(d.name(), "name", true, 100);
        String type = errors.textValue(d.type(), "type", true, 10);
        if (type != null) {
            type = type.toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                errors.error("type", "must be http, tls, dns or json");
                type = null;
            }
        }
        boolean attached = errors.given(d.serviceId(), "serviceId");
        UUID serviceId = attached ? errors.uuid(d.serviceId(), "serviceId", "must be a service id (UUID)") : null;
        String target = errors.textValue(d.target(), "target", !attached, 2000);
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
        Integer interval = errors.integerValue(
                d.intervalSeconds(), "intervalSeconds", minInterval, MAX_INTERVAL, DEFAULT_INTERVAL);
        List<String> agents = agentIds(d.agentIds(), errors);
        ObjectNode expect = expect(d.expect(), errors);
        boolean follow = errors.boolValue(d.followRedirects(), "followRedirects", true);
        Integer confirmations = errors.integerValue(d.confirmations(), "confirmations", 1, 20, 2);
        Integer timeout = errors.integerValue(d.timeoutMs(), "timeoutMs", 100, 60_000, 10_000);
        ObjectNode options = options(d, type, errors);
        Integer confirmAgents = errors.integerValue(d.confirmAgents(), "confirmAgents", 1, MAX_AGENTS, null);
        if (confirmAgents != null && confirmAgents > agents.size() && !agents.isEmpty()) {
            errors.error("confirmAgents", "must be at most the number of agents (" + agents.size() + ")");
        }
        if (!errors.ok()) {
            return null;
        }
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

    private static ObjectNode options(MonitorDraft d, String type, Fields errors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if ("dns".equals(type)) {
            String rt = errors.textValue(d.recordType(), "recordType", false, 10);
            rt = rt == null ? "A" : rt.toUpperCase(Locale.ROOT);
            if (!RECORD_TYPES.contains(rt)) {
                errors.error("recordType", "must be one of " + RECORD_TYPES);
            }
            out.put("recordType", rt);
            String resolver = errors.textValue(d.resolver(), "resolver", false, 260);
            if (resolver != null) {
                String why = checkHostPort(resolver);
                if (why != null) {
                    errors.error("resolver", why.replace("port must", "the port must"));
                } else {
                    out.put("resolver", resolver);
                }
            }
        } else {
            if (errors.given(d.recordType(), "recordType")) {
                errors.error("recordType", "only for dns monitors");
            }
            if (errors.given(d.resolver(), "resolver")) {
                errors.error("resolver", "only for dns monitors");
            }
        }
        if (errors.given(d.headers(), "headers")) {
            if (!"http".equals(type) && !"json".equals(type)) {
                errors.error("headers", "only for http and json monitors");
            } else if (errors.isMalformed("headers") || d.headers().size() > 20) {
                errors.error("headers", "must be an object of at most 20 headers");
            } else {
                ObjectNode headers = out.putObject("headers");
                for (MonitorDraft.Header h : d.headers()) {
                    String field = Fields.path("headers", Fields.quoted(h.name()));
                    String v = h.value();
                    if (!HEADER_NAME.matcher(h.name()).matches()
                            || RESERVED_HEADERS.contains(h.name().toLowerCase(Locale.ROOT))) {
                        errors.error(field, "not an allowed header name");
                    } else if (h.keep()) {
                        headers.set(h.name(), SecretHeaders.keep()); // the stored value, as reads show it
                    } else if (v == null
                            || v.length() > 4000
                            || v.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c > 0xff)) {
                        errors.error(
                                field,
                                "must be a string of at most 4000 Latin-1 characters without control characters");
                    } else {
                        headers.put(h.name(), v);
                    }
                }
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

    private static List<String> agentIds(List<String> given, Fields errors) {
        List<String> n = errors.listValue(given, "agentIds", true, MAX_AGENTS);
        if (n == null) {
            return List.of();
        }
        if (n.isEmpty()) {
            errors.error("agentIds", "must be an array of 1 to " + MAX_AGENTS + " agent ids");
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < n.size(); i++) {
            String a = n.get(i);
            if (a == null || a.isEmpty() || a.length() > 100) {
                errors.error(Fields.index("agentIds", i), "must be an agent id");
            } else {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }

    private static ObjectNode expect(MonitorDraft.Expect n, Fields errors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode statuses = out.putArray("statuses");
        out.put("minDaysLeft", 14);
        if (errors.isMalformed("expect")) {
            errors.error("expect", "must be an object");
        }
        if (n == null) {
            return out;
        }
        List<Integer> s = errors.listValue(n.statuses(), "expect.statuses", false, 20);
        for (int i = 0; s != null && i < s.size(); i++) {
            Integer v = s.get(i);
            if (v == null || v < 100 || v > 599) {
                errors.error(Fields.index("expect.statuses", i), "must be an HTTP status 100 to 599");
            } else {
                statuses.add(v);
            }
        }
        Integer latency = errors.integerValue(n.maxLatencyMs(), "expect.maxLatencyMs", 1, 60_000, null);
        if (latency != null) {
            out.put("maxLatencyMs", latency);
        }
        String contains = errors.textValue(n.bodyContains(), "expect.bodyContains", false, 1000);
        if (contains != null && (contains.isEmpty() || contains.indexOf('\u0000') >= 0)) {
            errors.error("expect.bodyContains", "must be a string of 1 to 1000 characters, without U+0000");
        } else if (contains != null) {
            out.put("bodyContains", contains);
        }
        List<String> values = errors.listValue(n.values(), "expect.values", false, 50);
        if (values != null) {
            ArrayNode v = out.putArray("values");
            for (int i = 0; i < values.size(); i++) {
                String x = values.get(i);
                if (x == null || x.isBlank() || x.length() > 500 || Fields.hasControl(x)) {
                    errors.error(Fields.index("expect.values", i), "must be a record value (1 to 500 characters)");
                } else {
                    v.add(x);
                }
            }
        }
        Integer days = errors.integerValue(n.minDaysLeft(), "expect.minDaysLeft", 0, 365, 14);
        out.put("minDaysLeft", days == null ? 14 : days);
        return out;
    }
}
