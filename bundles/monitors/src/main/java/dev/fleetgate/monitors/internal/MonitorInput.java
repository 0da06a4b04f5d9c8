package dev.fleetgate.monitors.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

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
public record MonitorInput(String name, String type, String target, int intervalSeconds, List<String> agentIds,
        ObjectNode expect, boolean followRedirects, int confirmations, int timeoutMs, ObjectNode options,
        Integer confirmAgents, String serviceId) {

    public static final List<String> TYPES = List.of("http", "tls", "dns", "json");
    public static final List<String> RECORD_TYPES = List.of("A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV", "PTR",
            "SOA", "CAA");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "connection", "content-length",
            "transfer-encoding");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public static final int MIN_INTERVAL = 10;
    public static final int MAX_INTERVAL = 86_400;
    public static final int DEFAULT_INTERVAL = 60;
    public static final int MAX_AGENTS = 50;
    private static final Pattern HOST = Pattern.compile(
            "(?i)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]{2,45}\\]");

    /** @throws ApiException 400 naming every bad field */
    public static MonitorInput parse(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        String name = text(body, "name", 100, true, errors);
        if (name != null && (name.isBlank() || name.chars().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError("name", "must not be blank or contain control characters"));
        }
        String type = text(body, "type", 10, true, errors);
        if (type != null) {
            type = type.toLowerCase(Locale.ROOT);
            if (!TYPES.contains(type)) {
                errors.add(new FieldError("type", "must be http, tls, dns or json"));
                type = null;
            }
        }
        String serviceId = text(body, "serviceId", 36, false, errors);
        if (serviceId != null && !UUID_TEXT.matcher(serviceId).matches()) {
            errors.add(new FieldError("serviceId", "must be a service id (UUID)"));
            serviceId = null;
        }
        boolean attached = serviceId != null || !absent(body.get("serviceId"));
        String target = text(body, "target", 2000, !attached, errors);
        if (target != null && type != null) {
            String why = attached ? checkAttachedTarget(type, target) : checkTarget(type, target);
            if (why != null) {
                errors.add(new FieldError("target", why));
            }
        }
        if (attached && target == null) {
            target = "json".equals(type) || "http".equals(type) ? "/" : "";
        }
        int interval = integer(body, "intervalSeconds", MIN_INTERVAL, MAX_INTERVAL, DEFAULT_INTERVAL, errors);
        List<String> agents = agentIds(body.get("agentIds"), errors);
        ObjectNode expect = expect(body.get("expect"), errors);
        boolean follow = bool(body, "followRedirects", true, errors);
        int confirmations = integer(body, "confirmations", 1, 20, 2, errors);
        int timeout = integer(body, "timeoutMs", 100, 60_000, 10_000, errors);
        ObjectNode options = options(body, type, errors);
        Integer confirmAgents = absent(body.get("confirmAgents")) ? null
                : integer(body, "confirmAgents", 1, MAX_AGENTS, 1, errors);
        if (confirmAgents != null && confirmAgents > agents.size() && !agents.isEmpty()) {
            errors.add(new FieldError("confirmAgents", "must be at most the number of agents (" + agents.size() + ")"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new MonitorInput(name.strip(), type, target, interval, agents, expect, follow, confirmations, timeout,
                options, confirmAgents, serviceId == null ? null : serviceId.toLowerCase(Locale.ROOT));
    }

    static String checkTarget(String type, String target) {
        return switch (type) {
            case "http", "json" -> checkUrl(target);
            case "dns" -> target.contains(":") || !HOST.matcher(target).matches() || target.length() > 253
                    ? "must be a DNS name" : null;
            default -> checkHostPort(target);
        };
    }

    /** Attached to a service the target is a path (http, json), a port (tls: {@code :8443}) or empty (dns). */
    static String checkAttachedTarget(String type, String target) {
        return switch (type) {
            case "http", "json" -> target.startsWith("/") && checkUrl("http://service.invalid" + target) == null
                    ? null : "with serviceId: a path starting with /";
            case "tls" -> target.matches(":[0-9]{1,5}") && Integer.parseInt(target.substring(1)) >= 1
                    && Integer.parseInt(target.substring(1)) <= 65535 ? null : "with serviceId: empty or :port";
            default -> "with serviceId: must be empty (the service's domains are checked)";
        };
    }

    private static ObjectNode options(JsonNode body, String type, List<FieldError> errors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if ("dns".equals(type)) {
            String rt = text(body, "recordType", 10, false, errors);
            rt = rt == null ? "A" : rt.toUpperCase(Locale.ROOT);
            if (!RECORD_TYPES.contains(rt)) {
                errors.add(new FieldError("recordType", "must be one of " + RECORD_TYPES));
            }
            out.put("recordType", rt);
            String resolver = text(body, "resolver", 260, false, errors);
            if (resolver != null) {
                String why = checkHostPort(resolver);
                if (why != null) {
                    errors.add(new FieldError("resolver", why.replace("port must", "the port must")));
                } else {
                    out.put("resolver", resolver);
                }
            }
        } else {
            for (String f : List.of("recordType", "resolver")) {
                if (!absent(body.get(f))) {
                    errors.add(new FieldError(f, "only for dns monitors"));
                }
            }
        }
        JsonNode h = body.get("headers");
        if (!absent(h)) {
            if (!"http".equals(type) && !"json".equals(type)) {
                errors.add(new FieldError("headers", "only for http and json monitors"));
            } else if (!h.isObject() || h.size() > 20) {
                errors.add(new FieldError("headers", "must be an object of at most 20 headers"));
            } else {
                ObjectNode headers = out.putObject("headers");
                h.fields().forEachRemaining(e -> {
                    String v = e.getValue().isTextual() ? e.getValue().asText() : null;
                    if (!HEADER_NAME.matcher(e.getKey()).matches()
                            || RESERVED_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                        errors.add(new FieldError("headers." + e.getKey(), "not an allowed header name"));
                    } else if (v == null || v.length() > 4000
                            || v.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c > 0xff)) {
                        errors.add(new FieldError("headers." + e.getKey(),
                                "must be a string of at most 4000 Latin-1 characters without control characters"));
                    } else {
                        headers.put(e.getKey(), v);
                    }
                });
            }
        }
        return out;
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private static String text(JsonNode body, String field, int max, boolean required, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (absent(n)) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isEmpty()) {
            errors.add(new FieldError(field, "must be a non-empty string"));
            return null;
        }
        if (n.asText().length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return null;
        }
        return n.asText();
    }

    private static int integer(JsonNode body, String field, int min, int max, int dflt, List<FieldError> errors) {
        return number(body.get(field), field, min, max, dflt, errors);
    }

    private static int number(JsonNode n, String field, int min, int max, int dflt, List<FieldError> errors) {
        if (absent(n)) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            errors.add(new FieldError(field, "must be an integer from " + min + " to " + max));
            return dflt;
        }
        return n.asInt();
    }

    private static boolean bool(JsonNode body, String field, boolean dflt, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (absent(n)) {
            return dflt;
        }
        if (!n.isBoolean()) {
            errors.add(new FieldError(field, "must be true or false"));
            return dflt;
        }
        return n.asBoolean();
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

    private static List<String> agentIds(JsonNode n, List<FieldError> errors) {
        if (absent(n)) {
            errors.add(new FieldError("agentIds", "is required: the agents that run the checks"));
            return List.of();
        }
        if (!n.isArray() || n.isEmpty() || n.size() > MAX_AGENTS) {
            errors.add(new FieldError("agentIds", "must be an array of 1 to " + MAX_AGENTS + " agent ids"));
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode a = n.get(i);
            if (!a.isTextual() || a.asText().isEmpty() || a.asText().length() > 100) {
                errors.add(new FieldError("agentIds[" + i + "]", "must be an agent id"));
            } else {
                out.add(a.asText());
            }
        }
        return List.copyOf(out);
    }

    private static ObjectNode expect(JsonNode n, List<FieldError> errors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode statuses = out.putArray("statuses");
        out.put("minDaysLeft", 14);
        if (absent(n)) {
            return out;
        }
        if (!n.isObject()) {
            errors.add(new FieldError("expect", "must be an object"));
            return out;
        }
        JsonNode s = n.get("statuses");
        if (!absent(s)) {
            if (!s.isArray() || s.size() > 20) {
                errors.add(new FieldError("expect.statuses", "must be an array of at most 20 statuses"));
            } else {
                for (int i = 0; i < s.size(); i++) {
                    JsonNode v = s.get(i);
                    if (!v.isIntegralNumber() || v.asInt() < 100 || v.asInt() > 599) {
                        errors.add(new FieldError("expect.statuses[" + i + "]", "must be an HTTP status 100 to 599"));
                    } else {
                        statuses.add(v.asInt());
                    }
                }
            }
        }
        JsonNode latency = n.get("maxLatencyMs");
        if (!absent(latency)) {
            out.put("maxLatencyMs", number(latency, "expect.maxLatencyMs", 1, 60_000, 0, errors));
        }
        JsonNode body = n.get("bodyContains");
        if (!absent(body)) {
            if (!body.isTextual() || body.asText().isEmpty() || body.asText().length() > 1000
                    || body.asText().indexOf('\u0000') >= 0) {
                errors.add(new FieldError("expect.bodyContains", "must be a string of 1 to 1000 characters, without U+0000"));
            } else {
                out.put("bodyContains", body.asText());
            }
        }
        JsonNode values = n.get("values");
        if (!absent(values)) {
            if (!values.isArray() || values.size() > 50) {
                errors.add(new FieldError("expect.values", "must be an array of at most 50 record values"));
            } else {
                ArrayNode v = out.putArray("values");
                for (int i = 0; i < values.size(); i++) {
                    JsonNode x = values.get(i);
                    if (!x.isTextual() || x.asText().isBlank() || x.asText().length() > 500
                            || x.asText().chars().anyMatch(Character::isISOControl)) {
                        errors.add(new FieldError("expect.values[" + i + "]", "must be a record value (1 to 500 characters)"));
                    } else {
                        v.add(x.asText());
                    }
                }
            }
        }
        JsonNode days = n.get("minDaysLeft");
        if (!absent(days)) {
            out.put("minDaysLeft", number(days, "expect.minDaysLeft", 0, 365, 14, errors));
        }
        return out;
    }
}
