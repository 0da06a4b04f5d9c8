package dev.fleetgate.agent.nginx.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the templates render, and the routing document Lua gets: built from a {@link Spec} and the
 * {@link NginxSettings}, every value checked by {@link SafeValues}. {@code nginx.conf} depends only on the settings
 * and the set of listeners (address:port, TLS or not): sites, domains, upstreams, headers, timeouts, access rules,
 * error pages and certificates are in {@link #routes()} (pushed to {@code POST /routes}), upstream members in the
 * peers. So a configuration rendered from two specs with the same listeners is the same file, and applying the
 * second one needs no reload.
 *
 * @param files  other files of the generation, by path relative to it (none today)
 * @param routes the routing document (see {@code lua/fleetgate.lua}), not rendered into a file of the generation
 * @param trustedProxies addresses or blocks whose X-Forwarded-For names the client ({@code set_real_ip_from})
 */
public record ConfigModel(
        String confDir,
        String workDir,
        String generation,
        List<String> modules,
        String workerProcesses,
        int workerConnections,
        String luaPackagePath,
        String peersDictSize,
        String unavailableSocket,
        String adminSocket,
        int adminPort,
        int serverNamesHashMaxSize,
        String routesFile,
        String peersFile,
        int keepalive,
        String maxBodyCeiling,
        List<Listener> listeners,
        ObjectNode routes,
        Map<String, byte[]> files,
        List<String> trustedProxies) {

    /** @return whether a trusted proxy may name the client (the template's {@code real_ip_header}) */
    public boolean realIp() {
        return !trustedProxies.isEmpty();
    }

    /** Handler name of the ACME http-01 location; tokens are served from {@code <workDir>/acme/}. */
    public static final String ACME_HANDLER = "acme-challenge";

    /** Idle upstream connections kept per worker (all upstreams share the one Lua-balanced upstream block). */
    static final int KEEPALIVE = 256;

    /** The largest request body any site may allow (each site's own limit is checked in Lua). */
    static final String MAX_BODY_CEILING = "1024m";

    /** One {@code server} block: every site listening on this address:port. */
    public record Listener(String key, String listen, boolean ssl, String fallbackCertificate, String fallbackKey) {}

    public record Header(String name, String value) {}

    /** Request headers nginx sets unless the spec names them (case-insensitive), through {@code $fg_h_*}. */
    static final List<String> DEFAULT_PROXY_HEADERS =
            List.of("Host", "X-Real-IP", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host");

    /**
     * @param confDir    absolute directory of the generation being rendered
     * @param generation its name, served at {@code /generation} on the admin port once live
     * @throws IllegalArgumentException when the spec holds a value the driver refuses
     */
    public static ConfigModel build(
            Spec spec, NginxSettings settings, String confDir, String unavailableSocket, String generation) {
        Map<String, Spec.Upstream> upstreams = new LinkedHashMap<>();
        for (int i = 0; i < spec.upstreams().size(); i++) {
            Spec.Upstream u = spec.upstreams().get(i);
            String f = "upstreams[" + i + "]";
            SafeValues.id(f + ".name", u.name());
            if (u.serviceId() != null) {
                SafeValues.serviceId(f + ".serviceId", u.serviceId());
            }
            lbMethod(f + ".lbMethod", u.lbMethod());
            if (u.keepalive() < 0) {
                throw SafeValues.refused(f + ".keepalive", "must not be negative");
            }
            if (upstreams.put(u.name(), u) != null) {
                throw SafeValues.refused(f + ".name", "is not unique: " + u.name());
            }
        }
        List<String[]> globalRules = rules("accessRules", spec.accessRules());
        Set<String> siteIds = new LinkedHashSet<>();
        Map<String, Boolean> listens = new TreeMap<>();
        listens.put(settings.listen(settings.httpPort()), false);
        if (settings.httpsAlwaysOn()) {
            listens.put(settings.listen(settings.httpsPort()), true); // the first TLS site is then no reload
        }
        ObjectNode routes = JsonNodeFactory.instance.objectNode();
        ObjectNode listeners = routes.putObject("listeners");
        ArrayNode sites = routes.putArray("sites");
        ObjectNode certificates = routes.putObject("certificates");
        for (int i = 0; i < spec.sites().size(); i++) {
            Spec.Site site = spec.sites().get(i);
            String f = "sites[" + i + "]";
            if (!siteIds.add(SafeValues.id(f + ".id", site.id()))) {
                throw SafeValues.refused(f + ".id", "is not unique: " + site.id());
            }
            SiteBlocks.build(
                    site,
                    f,
                    settings,
                    upstreams,
                    globalRules,
                    listens,
                    listeners,
                    sites,
                    certificates,
                    spec.maintenance(site.id()),
                    spec.problems(site.id()));
            SitePages.upstreamStatuses((ObjectNode) sites.get(sites.size() - 1), f, spec.upstreamStatuses(site.id()));
            SiteWake.wake((ObjectNode) sites.get(sites.size() - 1), f, spec.scalingWake(site.id()));
        }
        SitePages.fallback(routes, spec.pagesFallback());
        List<Listener> blocks = new ArrayList<>();
        String fallback = settings.workDir().resolve("tls").toString();
        listens.forEach((listen, ssl) ->
                blocks.add(new Listener(listen, listen, ssl, fallback + "/fallback.crt", fallback + "/fallback.key")));
        return new ConfigModel(
                confDir,
                settings.workDir().toString(),
                generation,
                settings.luaModules(),
                settings.workerProcesses(),
                settings.workerConnections(),
                luaPath(confDir, settings),
                settings.peersDictSize(),
                unavailableSocket,
                settings.adminSocket().toString(),
                settings.adminPort(),
                512,
                settings.workDir().resolve(ROUTES_FILE).toString(),
                settings.workDir().resolve(PEERS_FILE).toString(),
                KEEPALIVE,
                MAX_BODY_CEILING,
                blocks,
                routes,
                new TreeMap<>(),
                settings.trustedProxies());
    }

    /** Files in the working directory (0600) that {@code init_by_lua} reads when a new master starts. */
    static final String ROUTES_FILE = "routes.json";

    static final String PEERS_FILE = "peers.json";

    /** @return whether a TLS listener is part of the configuration (it needs the fallback certificate) */
    public boolean needsFallbackCertificate() {
        return listeners.stream().anyMatch(Listener::ssl);
    }

    static String lbMethod(String field, String method) {
        return switch (SafeValues.text(field, method, 32)) {
            case "round_robin", "least_conn", "ip_hash" -> method;
            default -> throw SafeValues.refused(field, "must be round_robin, least_conn or ip_hash");
        };
    }

    /** @return {action, source} per rule */
    static List<String[]> rules(String field, List<Spec.AccessRule> rules) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Spec.AccessRule r = rules.get(i);
            String f = field + "[" + i + "]";
            String action = SafeValues.text(f + ".action", r.action(), 8).toLowerCase(Locale.ROOT);
            if (!action.equals("allow") && !action.equals("deny")) {
                throw SafeValues.refused(f + ".action", "must be allow or deny");
            }
            out.add(new String[] {action, SafeValues.source(f + ".source", r.source())});
        }
        return out;
    }

    /** @return the spec's request headers, validated; a name given twice (case-insensitive) is refused */
    static List<Header> proxyHeaders(String field, Map<String, String> requestHeaders) {
        List<Header> out = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        requestHeaders.forEach((name, value) -> {
            SafeValues.headerName(field + "." + name, name);
            if (!named.add(name.toLowerCase(Locale.ROOT))) {
                throw SafeValues.refused(field + "." + name, "is given twice");
            }
            out.add(new Header(name, SafeValues.headerValue(field + "." + name, value)));
        });
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String luaPath(String confDir, NginxSettings settings) {
        String extra = settings.luaPackagePath().isEmpty()
                ? ""
                : settings.luaPackagePath().replaceAll(";+$", "") + ";";
        return confDir + "/lua/?.lua;" + extra + ";";
    }
}
