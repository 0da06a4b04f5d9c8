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

/**
 * What the templates render: built from a {@link Spec} and the {@link NginxSettings}, every value checked by
 * {@link SafeValues}. Upstream <em>members</em> (targets, weights, health) are not part of it: they reach nginx
 * through Lua without a reload, so the model, and the files rendered from it, change only with the structure.
 *
 * @param files other files of the generation (TLS certificates and keys, error pages), by path relative to it
 */
public record ConfigModel(String confDir, String workDir, String generation, List<String> modules,
        String workerProcesses, int workerConnections, String luaPackagePath, String peersDictSize,
        String unavailableSocket, String adminSocket, int adminPort, int serverNamesHashMaxSize, List<DefaultServer> defaultServers,
        List<UpstreamBlock> upstreams, List<ServerBlock> servers, Map<String, byte[]> files) {

    /** Handler name of the ACME http-01 location; tokens are served from {@code <workDir>/acme/}. */
    public static final String ACME_HANDLER = "acme-challenge";

    public record DefaultServer(String listen, boolean ssl) {
    }

    public record UpstreamBlock(String name, boolean keepalive, int keepaliveConnections) {
    }

    public record Header(String name, String value) {
    }

    public record ServerBlock(String comment, List<String> listens, String serverNames, String serviceId,
            boolean ssl, String certificate, String certificateKey, List<Header> responseHeaders,
            List<String> accessRules, String maxBodySize, List<String> errorPageDirectives,
            List<ErrorPageBlock> errorPages, List<LocationBlock> locations, String redirectTo) {
    }

    public record ErrorPageBlock(String uri, String file, String type, String charset) {
    }

    public record LocationBlock(String match, boolean proxy, String upstream, boolean leastConn, boolean acme,
            String acmeDir, List<Header> proxyHeaders, boolean websockets, int connectTimeout, int readTimeout,
            int sendTimeout, boolean interceptErrors) {
    }

    /** Request headers nginx sets unless the spec names them (case-insensitive). */
    private static final List<Header> DEFAULT_PROXY_HEADERS = List.of(
            new Header("Host", "$host"),
            new Header("X-Real-IP", "$remote_addr"),
            new Header("X-Forwarded-For", "$proxy_add_x_forwarded_for"),
            new Header("X-Forwarded-Proto", "$scheme"),
            new Header("X-Forwarded-Host", "$host"));

    /**
     * @param confDir    absolute directory of the generation being rendered
     * @param generation its name, served at {@code /generation} on the admin port once live
     * @throws IllegalArgumentException when the spec holds a value the driver refuses to render
     */
    public static ConfigModel build(Spec spec, NginxSettings settings, String confDir, String unavailableSocket,
            String generation) {
        Map<String, Spec.Upstream> upstreams = new LinkedHashMap<>();
        List<UpstreamBlock> upstreamBlocks = new ArrayList<>();
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
            upstreamBlocks.add(new UpstreamBlock(u.name(), u.keepalive() > 0, u.keepalive()));
        }
        List<String> globalRules = rules("accessRules", spec.accessRules());
        Map<String, byte[]> files = new TreeMap<>();
        Set<String> siteIds = new LinkedHashSet<>();
        Set<DefaultServer> defaults = new LinkedHashSet<>();
        defaults.add(new DefaultServer(settings.listen(settings.httpPort()), false));
        List<ServerBlock> servers = new ArrayList<>();
        int names = 0;
        for (int i = 0; i < spec.sites().size(); i++) {
            Spec.Site site = spec.sites().get(i);
            String f = "sites[" + i + "]";
            if (!siteIds.add(SafeValues.id(f + ".id", site.id()))) {
                throw SafeValues.refused(f + ".id", "is not unique: " + site.id());
            }
            names += site.serverNames().size();
            servers.addAll(SiteBlocks.build(site, f, settings, confDir, upstreams, globalRules, files, defaults));
        }
        return new ConfigModel(confDir, settings.workDir().toString(), generation, settings.luaModules(),
                settings.workerProcesses(), settings.workerConnections(), luaPath(confDir, settings),
                settings.peersDictSize(), unavailableSocket, settings.adminSocket().toString(), settings.adminPort(), hashSize(names),
                List.copyOf(defaults), upstreamBlocks, servers, files);
    }

    static String lbMethod(String field, String method) {
        return switch (SafeValues.text(field, method, 32)) {
            case "round_robin", "least_conn", "ip_hash" -> method;
            default -> throw SafeValues.refused(field, "must be round_robin, least_conn or ip_hash");
        };
    }

    static List<String> rules(String field, List<Spec.AccessRule> rules) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Spec.AccessRule r = rules.get(i);
            String f = field + "[" + i + "]";
            String action = SafeValues.text(f + ".action", r.action(), 8).toLowerCase(Locale.ROOT);
            if (!action.equals("allow") && !action.equals("deny")) {
                throw SafeValues.refused(f + ".action", "must be allow or deny");
            }
            out.add(action + " " + SafeValues.source(f + ".source", r.source()));
        }
        return out;
    }

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
        List<Header> all = new ArrayList<>();
        for (Header h : DEFAULT_PROXY_HEADERS) {
            if (!named.contains(h.name().toLowerCase(Locale.ROOT))) {
                all.add(h);
            }
        }
        all.addAll(out);
        return all;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String luaPath(String confDir, NginxSettings settings) {
        String extra = settings.luaPackagePath().isEmpty() ? "" : settings.luaPackagePath().replaceAll(";+$", "") + ";";
        return confDir + "/lua/?.lua;" + extra + ";";
    }

    private static int hashSize(int names) {
        int size = 512;
        while (size < names * 2) {
            size *= 2;
        }
        return size;
    }
}
