package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.DomainNames;
import dev.fleetgate.api.DomainNames.InvalidNameException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.proxy.ServiceDirectory.TlsSetting;

/**
 * Turns a service request body into a {@link ServiceConfig}, or names every field at
 * fault. Never throws on any input.
 */
public final class ServiceValidator {
    static final Set<String> LB_METHODS = Set.of("round_robin", "least_conn", "ip_hash");
    private static final int MAX_DOMAINS = 100;
    private static final int MAX_AGENTS = 100;
    private static final int MAX_TARGETS = 256;
    private static final int MAX_HEADERS = 50;
    private static final int MAX_SECONDS = 3600;
    private static final int MAX_HSTS_SECONDS = 63_072_000;

    private final Predicate<String> agentExists;
    private final TargetPolicy targets;

    /** @param agentExists whether an agent id is enrolled */
    public ServiceValidator(Predicate<String> agentExists) {
        this(agentExists, TargetPolicy.defaults());
    }

    /**
     * @param agentExists whether an agent id is enrolled
     * @param targets     where static targets may not point
     */
    public ServiceValidator(Predicate<String> agentExists, TargetPolicy targets) {
        this.agentExists = agentExists;
        this.targets = targets;
    }

    /** The outcome: a config when {@code errors} is empty. */
    public record Result(ServiceConfig config, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    public Result validate(JsonNode body) {
        Fields r = new Fields();
        if (body == null || !body.isObject()) {
            r.error("body", "must be a JSON object");
            return new Result(null, r.errors());
        }
        String name = r.text(body, "name", "name", true);
        if (name != null && !SafeText.isServiceName(name)) {
            r.error("name", "must be 1-63 lower-case letters, digits or '-', not starting or ending with '-'");
        }
        List<String> domains = domains(r, body);
        List<String> agentIds = agentIds(r, body);
        JsonNode containersNode = r.object(body, "containers", "containers", false);
        ServiceConfig.Containers containers =
                containersNode == null ? null : ContainersValidator.containers(r, containersNode);
        boolean hasContainers = containersNode != null;
        JsonNode upstreamNode = r.object(body, "upstream", "upstream", !hasContainers);
        boolean allowUnsafe = r.bool(body, "allowUnsafeTargets", "allowUnsafeTargets", false);
        ServiceConfig.Upstream upstream = upstream(r, upstreamNode, hasContainers, allowUnsafe);
        ServiceConfig.Timeouts timeouts = timeouts(r, body);
        String maxBodySize = maxBodySize(r, body);
        Map<String, String> requestHeaders = headers(r, body, "requestHeaders", true);
        Map<String, String> responseHeaders = headers(r, body, "responseHeaders", false);
        boolean websockets = r.bool(body, "websockets", "websockets", false);
        TlsSetting tls = tls(r, body);
        if (!r.errors().isEmpty()) {
            return new Result(null, r.errors());
        }
        return new Result(
                new ServiceConfig(
                        name,
                        domains,
                        agentIds,
                        upstream,
                        timeouts,
                        maxBodySize,
                        requestHeaders,
                        responseHeaders,
                        websockets,
                        containers,
                        allowUnsafe,
                        tls),
                List.of());
    }

    private static List<String> domains(Fields r, JsonNode body) {
        JsonNode arr = r.array(body, "domains", "domains", true, MAX_DOMAINS);
        List<String> out = new ArrayList<>();
        if (arr == null) {
            return out;
        }
        if (arr.isEmpty()) {
            r.error("domains", "must name at least one domain");
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < arr.size(); i++) {
            String field = "domains[" + i + "]";
            JsonNode n = arr.get(i);
            if (!n.isTextual()) {
                r.error(field, "must be a string");
                continue;
            }
            try {
                String d = DomainNames.normalizeDomain(n.asText());
                Integer first = seen.putIfAbsent(d, i);
                if (first != null) {
                    r.error(field, "duplicates domains[" + first + "]");
                } else {
                    out.add(d);
                }
            } catch (InvalidNameException e) {
                r.error(field, e.getMessage());
            }
        }
        return out;
    }

    private List<String> agentIds(Fields r, JsonNode body) {
        JsonNode arr = r.array(body, "agentIds", "agentIds", false, MAX_AGENTS);
        List<String> out = new ArrayList<>();
        if (arr == null) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < arr.size(); i++) {
            String field = "agentIds[" + i + "]";
            JsonNode n = arr.get(i);
            if (!n.isTextual()) {
                r.error(field, "must be a string");
            } else if (!SafeText.isAgentId(n.asText())) {
                r.error(field, "is not an agent id");
            } else if (!seen.add(n.asText())) {
                r.error(field, "is listed twice");
            } else if (!agentExists.test(n.asText())) {
                r.error(field, "no such agent");
            } else {
                out.add(n.asText());
            }
        }
        return out;
    }

    private ServiceConfig.Upstream upstream(Fields r, JsonNode u, boolean hasContainers, boolean allowUnsafe) {
        if (u == null) {
            return new ServiceConfig.Upstream(List.of(), "round_robin", ServiceConfig.DEFAULT_KEEPALIVE, null);
        }
        List<ServiceConfig.Target> targets = new ArrayList<>();
        JsonNode arr = r.array(u, "targets", "upstream.targets", false, MAX_TARGETS);
        if (arr != null) {
            for (int i = 0; i < arr.size(); i++) {
                ServiceConfig.Target t = target(r, arr.get(i), "upstream.targets[" + i + "]", allowUnsafe);
                if (t != null) {
                    targets.add(t);
                }
            }
        }
        boolean targetsInvalid = arr == null && !Fields.absent(u.get("targets"));
        if (!hasContainers && !targetsInvalid && (arr == null || arr.isEmpty())) {
            r.error("upstream.targets", "needs at least one target unless containers are given");
        }
        String lb = r.text(u, "lbMethod", "upstream.lbMethod", false);
        if (lb == null) {
            lb = "round_robin";
        } else if (!LB_METHODS.contains(lb)) {
            r.error("upstream.lbMethod", "must be one of round_robin, least_conn, ip_hash");
        }
        Integer keepalive = r.integer(u, "keepalive", "upstream.keepalive", 0, 1024, ServiceConfig.DEFAULT_KEEPALIVE);
        JsonNode hc = r.object(u, "healthCheck", "upstream.healthCheck", false);
        ServiceConfig.HealthCheck healthCheck = hc == null ? null : healthCheck(r, hc);
        return new ServiceConfig.Upstream(targets, lb, keepalive == null ? 0 : keepalive, healthCheck);
    }

    private ServiceConfig.Target target(Fields r, JsonNode t, String field, boolean allowUnsafe) {
        if (!t.isObject()) {
            r.error(field, "must be an object");
            return null;
        }
        String host = r.text(t, "host", field + ".host", true);
        if (host != null) {
            host = host(r, host, field + ".host");
        }
        Integer port = r.requiredInteger(t, "port", field + ".port", 1, 65535);
        Integer weight = r.integer(t, "weight", field + ".weight", 1, 100, 1);
        Integer maxFails = r.integer(t, "maxFails", field + ".maxFails", 0, 100, null);
        Integer failTimeout = r.integer(t, "failTimeoutSeconds", field + ".failTimeoutSeconds", 1, MAX_SECONDS, null);
        if (host == null || port == null || weight == null) {
            return null;
        }
        String problem = targets.problem(host, port, allowUnsafe);
        if (problem != null) {
            r.error(field, problem);
            return null;
        }
        return new ServiceConfig.Target(host, port, weight, maxFails, failTimeout);
    }

    /** @return the normalised host, or null after an error */
    private static String host(Fields r, String raw, String field) {
        boolean bracketed = raw.startsWith("[") && raw.endsWith("]");
        String h = bracketed ? raw.substring(1, raw.length() - 1) : raw;
        if (!bracketed && IpAddresses.isIpv4(h)) {
            return h;
        }
        if (IpAddresses.isIpv6(h)) {
            return h.toLowerCase(Locale.ROOT);
        }
        if (bracketed) {
            r.error(field, "is not a valid IPv6 address");
            return null;
        }
        try {
            DomainNames.checkHostname(h);
            return h.toLowerCase(Locale.ROOT);
        } catch (InvalidNameException e) {
            r.error(field, "must be an IPv4/IPv6 address or a host name: " + e.getMessage());
            return null;
        }
    }

    private static ServiceConfig.HealthCheck healthCheck(Fields r, JsonNode hc) {
        String p = "upstream.healthCheck";
        String path = r.text(hc, "path", p + ".path", true);
        if (path != null && !SafeText.isUrlPath(path)) {
            r.error(
                    p + ".path",
                    "must start with '/' and contain only URL path and query characters"
                            + " (no spaces, quotes, ';', '{', '}', '$' or '\\')");
        }
        Integer interval = r.integer(hc, "intervalSeconds", p + ".intervalSeconds", 1, MAX_SECONDS, 5);
        Integer timeout = r.integer(hc, "timeoutSeconds", p + ".timeoutSeconds", 1, MAX_SECONDS, 2);
        Integer fall = r.integer(hc, "fall", p + ".fall", 1, 10, 3);
        Integer rise = r.integer(hc, "rise", p + ".rise", 1, 10, 2);
        if (path == null || interval == null || timeout == null || fall == null || rise == null) {
            return null;
        }
        return new ServiceConfig.HealthCheck(path, interval, timeout, fall, rise);
    }

    /**
     * {@code tls}: {@code {"mode":"off"|"auto"|"custom","certificateId"?,"redirectHttp"?,"hstsMaxAgeSeconds"?}};
     * absent or null = off. Whether {@code certificateId} names an uploaded certificate is the
     * certificates module's to check (it reports it on the certificate side).
     */
    private static TlsSetting tls(Fields r, JsonNode body) {
        JsonNode t = r.object(body, "tls", "tls", false);
        if (t == null) {
            return TlsSetting.OFF;
        }
        String mode =
                r.choice(t, "mode", "tls.mode", List.of(TlsSetting.OFF_MODE, TlsSetting.AUTO, TlsSetting.CUSTOM), null);
        if (mode == null && !r.failed("tls.mode")) {
            r.error("tls.mode", "is required (off, auto or custom)");
        }
        boolean custom = TlsSetting.CUSTOM.equals(mode);
        java.util.UUID certificateId = r.uuid(t, "certificateId", "tls.certificateId", custom);
        if (!custom && certificateId != null) {
            r.error("tls.certificateId", "is only allowed with mode custom");
        }
        boolean redirect = r.bool(t, "redirectHttp", "tls.redirectHttp", true);
        Integer hsts = r.integer(t, "hstsMaxAgeSeconds", "tls.hstsMaxAgeSeconds", 0, MAX_HSTS_SECONDS, null);
        r.unknown(t, Set.of("mode", "certificateId", "redirectHttp", "hstsMaxAgeSeconds"), "tls");
        return new TlsSetting(
                mode,
                certificateId == null ? null : certificateId.toString(),
                redirect,
                hsts == null ? null : hsts.longValue());
    }

    private static ServiceConfig.Timeouts timeouts(Fields r, JsonNode body) {
        JsonNode t = r.object(body, "timeouts", "timeouts", false);
        if (t == null) {
            return ServiceConfig.Timeouts.DEFAULT;
        }
        ServiceConfig.Timeouts d = ServiceConfig.Timeouts.DEFAULT;
        Integer c = r.integer(t, "connectSeconds", "timeouts.connectSeconds", 1, MAX_SECONDS, d.connectSeconds());
        Integer rd = r.integer(t, "readSeconds", "timeouts.readSeconds", 1, MAX_SECONDS, d.readSeconds());
        Integer s = r.integer(t, "sendSeconds", "timeouts.sendSeconds", 1, MAX_SECONDS, d.sendSeconds());
        return c == null || rd == null || s == null ? d : new ServiceConfig.Timeouts(c, rd, s);
    }

    private static String maxBodySize(Fields r, JsonNode body) {
        String v = r.text(body, "maxBodySize", "maxBodySize", false);
        if (v == null) {
            return ServiceConfig.DEFAULT_MAX_BODY_SIZE;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!SafeText.isMaxBodySize(lower)) {
            r.error("maxBodySize", "must be up to 6 digits with an optional unit k, m or g (e.g. 10m); 0 = unlimited");
            return null;
        }
        return lower;
    }

    private static Map<String, String> headers(Fields r, JsonNode body, String name, boolean request) {
        JsonNode h = r.object(body, name, name, false);
        Map<String, String> out = new LinkedHashMap<>();
        if (h == null) {
            return out;
        }
        if (h.size() > MAX_HEADERS) {
            r.error(name, "must have at most " + MAX_HEADERS + " headers");
            return out;
        }
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!SafeText.isHeaderName(key)) {
                r.error(
                        name,
                        "header #" + (i + 1) + ": the name must be 1-128 token characters"
                                + " (letters, digits, !#%&*+-.^_`|~)");
                continue;
            }
            String field = name + "." + key;
            if (!seen.add(key.toLowerCase(Locale.ROOT))) {
                r.error(field, "is given twice (header names are case-insensitive)");
            } else if (request && SafeText.isManagedRequestHeader(key)) {
                r.error(field, "is managed by the proxy and cannot be set");
            } else if (!e.getValue().isTextual()) {
                r.error(field, "must be a string");
            } else if (!SafeText.isHeaderValue(e.getValue().asText())) {
                r.error(field, "must be at most 1024 printable ASCII characters without ; { } \" ' \\ or $");
            } else {
                out.put(key, e.getValue().asText());
            }
        }
        return out;
    }
}
