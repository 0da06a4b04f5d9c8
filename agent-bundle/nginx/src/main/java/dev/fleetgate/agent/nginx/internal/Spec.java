package dev.fleetgate.agent.nginx.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The body of the {@code proxy} section as the agent reads it (the core's {@code ProxySpec}; unknown fields are
 * ignored). Nothing here is trusted: {@link ConfigModel} validates every value it renders.
 */
public record Spec(
        List<Site> sites, List<Upstream> upstreams, List<AccessRule> accessRules, Map<String, JsonNode> extensions) {

    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static final Spec EMPTY = new Spec(List.of(), List.of(), List.of(), Map.of());

    public Spec {
        sites = list(sites);
        upstreams = list(upstreams);
        accessRules = list(accessRules);
        extensions = map(extensions);
    }

    /**
     * @return the pages module's maintenance of a site ({@code extensions.pages.maintenance.<siteId>}:
     *         {@code {"allow": [cidr], "retryAfterSeconds"}}), or null when it is not in maintenance
     */
    public JsonNode maintenance(String siteId) {
        return pages("maintenance", siteId);
    }

    /**
     * @return the pages module's problem+json bodies of a site's pages ({@code extensions.pages.problems.<siteId>}:
     *         {@code {"<status>": "<json>"}}), served instead of the page to clients that accept JSON; or null
     */
    public JsonNode problems(String siteId) {
        return pages("problems", siteId);
    }

    /**
     * @return the pages module's statuses whose page also replaces an upstream's own answer
     *         ({@code extensions.pages.upstream.<siteId>}: {@code [status]}), or null when it does not say
     */
    public JsonNode upstreamStatuses(String siteId) {
        return pages("upstream", siteId);
    }

    /**
     * @return the pages module's page of a Host no site serves ({@code extensions.pages.fallback}: {@code {"html",
     *         "problem"}}), or null
     */
    public JsonNode pagesFallback() {
        JsonNode pages = extensions.get("pages");
        JsonNode f = pages == null ? null : pages.get("fallback");
        return f == null || f.isNull() ? null : f;
    }

    /**
     * @return the scaling module's scale to zero of a site ({@code extensions.scaling.wake.<siteId>}: {@code {"maxHeld",
     *         "startingPageAfterMs", "retryAfterSeconds"}}), or null when its requests are not held
     */
    public JsonNode scalingWake(String siteId) {
        JsonNode scaling = extensions.get("scaling");
        JsonNode m = scaling == null ? null : scaling.path("wake").get(siteId);
        return m == null || m.isNull() ? null : m;
    }

    private JsonNode pages(String kind, String siteId) {
        JsonNode pages = extensions.get("pages");
        JsonNode m = pages == null ? null : pages.path(kind).get(siteId);
        return m == null || m.isNull() ? null : m;
    }

    /** @throws IllegalArgumentException when the body is not a proxy spec */
    public static Spec parse(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return EMPTY;
        }
        try {
            return JSON.treeToValue(body, Spec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("invalid proxy spec: " + e.getOriginalMessage(), e);
        }
    }

    public record Site(
            String id,
            String serviceId,
            String serviceName,
            List<String> serverNames,
            List<Listen> listen,
            List<Location> locations,
            Tls tls,
            List<ErrorPage> errorPages,
            List<AccessRule> accessRules,
            long maxBodyBytes,
            Timeouts timeouts,
            Map<String, String> requestHeaders,
            Map<String, String> responseHeaders,
            boolean websockets) {
        public Site {
            serverNames = list(serverNames);
            listen = listen == null || listen.isEmpty() ? List.of(new Listen(null, false)) : List.copyOf(listen);
            locations = list(locations);
            errorPages = list(errorPages);
            accessRules = list(accessRules);
            requestHeaders = map(requestHeaders);
            responseHeaders = map(responseHeaders);
            timeouts = timeouts == null ? new Timeouts(5, 60, 60) : timeouts;
        }
    }

    public record Listen(Integer port, boolean tls) {}

    public record Location(String path, String match, String upstream, String handler) {}

    public record Tls(
            String certificateId,
            String certificatePem,
            String privateKeyPem,
            boolean redirectHttp,
            Long hstsMaxAgeSeconds,
            String ocspResponse,
            Long ocspNextUpdate) {}

    public record ErrorPage(List<Integer> statuses, String contentType, String body) {
        public ErrorPage {
            statuses = list(statuses);
        }
    }

    public record AccessRule(String action, String source) {}

    public record Timeouts(int connectSeconds, int readSeconds, int sendSeconds) {}

    public record Upstream(
            String name,
            String serviceId,
            String lbMethod,
            int keepalive,
            List<Target> targets,
            HealthCheck healthCheck) {
        public Upstream {
            lbMethod = lbMethod == null ? "round_robin" : lbMethod;
            targets = list(targets);
        }

        Upstream withTargets(List<Target> t) {
            return new Upstream(name, serviceId, lbMethod, keepalive, t, healthCheck);
        }
    }

    public record Target(
            String host, int port, int weight, Integer maxFails, Integer failTimeoutSeconds, boolean backup) {
        public Target {
            weight = weight <= 0 ? 1 : weight;
        }
    }

    public record HealthCheck(String path, int intervalSeconds, int timeoutSeconds, int fall, int rise) {}

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l.stream().filter(x -> x != null).toList();
    }

    private static <V> Map<String, V> map(Map<String, V> m) {
        return m == null ? Map.of() : new TreeMap<>(m);
    }
}
