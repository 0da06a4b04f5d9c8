package dev.fleetgate.agent.nginx.internal;

import dev.fleetgate.agent.nginx.internal.ConfigModel.DefaultServer;
import dev.fleetgate.agent.nginx.internal.ConfigModel.ErrorPageBlock;
import dev.fleetgate.agent.nginx.internal.ConfigModel.Header;
import dev.fleetgate.agent.nginx.internal.ConfigModel.LocationBlock;
import dev.fleetgate.agent.nginx.internal.ConfigModel.ServerBlock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Turns one site of the spec into its server block(s): one, or a redirecting plain one beside the TLS one. */
final class SiteBlocks {

    private SiteBlocks() {
    }

    static List<ServerBlock> build(Spec.Site site, String f, NginxSettings settings, String confDir,
            Map<String, Spec.Upstream> upstreams, List<String> globalRules, Map<String, byte[]> files,
            Set<DefaultServer> defaults) {
        String serviceId = site.serviceId() == null ? "" : SafeValues.serviceId(f + ".serviceId", site.serviceId());
        String comment = site.serviceName() == null ? site.id()
                : site.id() + " (" + SafeValues.text(f + ".serviceName", site.serviceName(), 128) + ")";
        if (site.serverNames().isEmpty()) {
            throw SafeValues.refused(f + ".serverNames", "is empty");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < site.serverNames().size(); i++) {
            names.add(SafeValues.serverName(f + ".serverNames[" + i + "]", site.serverNames().get(i)));
        }
        List<String> plain = new ArrayList<>();
        List<String> tls = new ArrayList<>();
        for (Spec.Listen l : site.listen()) {
            int port = l.port() != null ? l.port() : l.tls() ? settings.httpsPort() : settings.httpPort();
            String listen = settings.listen(port);
            defaults.add(new DefaultServer(listen, l.tls()));
            (l.tls() ? tls : plain).add(l.tls() ? listen + " ssl" : listen);
        }
        String cert = null;
        String key = null;
        List<Header> responseHeaders = new ArrayList<>();
        site.responseHeaders().forEach((name, value) -> responseHeaders.add(new Header(
                SafeValues.headerName(f + ".responseHeaders." + name, name),
                SafeValues.headerValue(f + ".responseHeaders." + name, value))));
        if (!tls.isEmpty()) {
            Spec.Tls t = site.tls();
            if (t == null) {
                throw SafeValues.refused(f + ".listen", "has a TLS listener but the site has no tls");
            }
            String id = SafeValues.fileId(f + ".tls.certificateId", t.certificateId());
            cert = confDir + "/tls/" + id + ".crt";
            key = confDir + "/tls/" + id + ".key";
            files.put("tls/" + id + ".crt", ConfigModel.utf8(pem(f + ".tls.certificatePem", t.certificatePem(), "CERTIFICATE")));
            files.put("tls/" + id + ".key", ConfigModel.utf8(pem(f + ".tls.privateKeyPem", t.privateKeyPem(), "PRIVATE KEY")));
            if (t.hstsMaxAgeSeconds() != null) {
                if (t.hstsMaxAgeSeconds() < 0) {
                    throw SafeValues.refused(f + ".tls.hstsMaxAgeSeconds", "must not be negative");
                }
                responseHeaders.add(new Header("Strict-Transport-Security", "max-age=" + t.hstsMaxAgeSeconds()));
            }
        }
        List<String> rules = new ArrayList<>(globalRules);
        rules.addAll(ConfigModel.rules(f + ".accessRules", site.accessRules()));
        if (site.maxBodyBytes() < 0) {
            throw SafeValues.refused(f + ".maxBodyBytes", "must not be negative");
        }
        Spec.Timeouts t = site.timeouts();
        positive(f + ".timeouts.connectSeconds", t.connectSeconds());
        positive(f + ".timeouts.readSeconds", t.readSeconds());
        positive(f + ".timeouts.sendSeconds", t.sendSeconds());
        List<Header> proxyHeaders = ConfigModel.proxyHeaders(f + ".requestHeaders", site.requestHeaders());
        List<ErrorPageBlock> pages = new ArrayList<>();
        List<String> pageDirectives = new ArrayList<>();
        errorPages(site, f, confDir, files, pages, pageDirectives);
        List<LocationBlock> locations = new ArrayList<>();
        List<LocationBlock> acme = new ArrayList<>();
        for (int i = 0; i < site.locations().size(); i++) {
            LocationBlock l = location(site, f + ".locations[" + i + "]", site.locations().get(i), settings,
                    upstreams, proxyHeaders, !pages.isEmpty());
            locations.add(l);
            if (l.acme()) {
                acme.add(l);
            }
        }
        String names0 = String.join(" ", names);
        String body = String.valueOf(site.maxBodyBytes());
        boolean redirect = site.tls() != null && site.tls().redirectHttp() && !tls.isEmpty() && !plain.isEmpty();
        List<ServerBlock> blocks = new ArrayList<>();
        if (redirect) {
            int httpsPort = Integer.parseInt(tls.get(0).replaceAll("^(.*:)?([0-9]+) ssl$", "$2"));
            String target = "https://$host" + (httpsPort == 443 ? "" : ":" + httpsPort) + "$request_uri";
            blocks.add(new ServerBlock(comment + ", HTTP to HTTPS", plain, names0, serviceId, false, null, null,
                    List.of(), rules, body, List.of(), List.of(), acme, target));
            blocks.add(new ServerBlock(comment, tls, names0, serviceId, true, cert, key, responseHeaders, rules, body,
                    pageDirectives, pages, locations, null));
        } else {
            List<String> listens = new ArrayList<>(plain);
            listens.addAll(tls);
            blocks.add(new ServerBlock(comment, listens, names0, serviceId, !tls.isEmpty(), cert, key, responseHeaders,
                    rules, body, pageDirectives, pages, locations, null));
        }
        return blocks;
    }

    private static LocationBlock location(Spec.Site site, String f, Spec.Location loc, NginxSettings settings,
            Map<String, Spec.Upstream> upstreams, List<Header> proxyHeaders, boolean intercept) {
        String path = SafeValues.path(f + ".path", loc.path());
        String match = loc.match() == null || "prefix".equals(loc.match()) ? path
                : "exact".equals(SafeValues.text(f + ".match", loc.match(), 16)) ? "= " + path
                : null;
        if (match == null) {
            throw SafeValues.refused(f + ".match", "must be prefix or exact");
        }
        if ((loc.upstream() == null) == (loc.handler() == null)) {
            throw SafeValues.refused(f, "needs exactly one of upstream and handler");
        }
        Spec.Timeouts t = site.timeouts();
        if (loc.handler() != null) {
            if (!ConfigModel.ACME_HANDLER.equals(SafeValues.text(f + ".handler", loc.handler(), 64))) {
                throw SafeValues.refused(f + ".handler", "is unknown: " + loc.handler());
            }
            String dir = settings.workDir() + "/acme/";
            return new LocationBlock(path.endsWith("/") ? match : "= " + path, false, null, false, true,
                    path.endsWith("/") ? dir : dir + path.substring(path.lastIndexOf('/') + 1), List.of(), false,
                    t.connectSeconds(), t.readSeconds(), t.sendSeconds(), false);
        }
        Spec.Upstream u = upstreams.get(SafeValues.id(f + ".upstream", loc.upstream()));
        if (u == null) {
            throw SafeValues.refused(f + ".upstream", "names no upstream of the spec: " + loc.upstream());
        }
        return new LocationBlock(match, true, u.name(), "least_conn".equals(u.lbMethod()), false, null, proxyHeaders,
                site.websockets(), t.connectSeconds(), t.readSeconds(), t.sendSeconds(), intercept);
    }

    private static void errorPages(Spec.Site site, String f, String confDir, Map<String, byte[]> files,
            List<ErrorPageBlock> pages, List<String> directives) {
        Set<Integer> seen = new TreeSet<>();
        for (int i = 0; i < site.errorPages().size(); i++) {
            Spec.ErrorPage p = site.errorPages().get(i);
            String pf = f + ".errorPages[" + i + "]";
            String[] type = SafeValues.contentType(pf + ".contentType", p.contentType());
            if (p.statuses().isEmpty()) {
                throw SafeValues.refused(pf + ".statuses", "is empty");
            }
            Set<Integer> statuses = new LinkedHashSet<>();
            for (int s : p.statuses()) {
                if (s < 400 || s > 599 || !seen.add(s)) {
                    throw SafeValues.refused(pf + ".statuses", "must be distinct statuses 400..599 (" + s + ")");
                }
                statuses.add(s);
            }
            String rel = "pages/" + site.id() + "-" + i;
            String uri = "/.fleetgate-error/" + site.id() + "-" + i;
            files.put(rel, ConfigModel.utf8(p.body() == null ? "" : p.body()));
            pages.add(new ErrorPageBlock(uri, confDir + "/" + rel, type[0], type[1]));
            directives.add(String.join(" ", statuses.stream().map(String::valueOf).toList()) + " " + uri);
        }
    }

    private static String pem(String field, String pem, String kind) {
        if (pem == null || !pem.contains("-----BEGIN ") || !pem.contains(kind + "-----")) {
            throw SafeValues.refused(field, "is not a PEM " + kind.toLowerCase(java.util.Locale.ROOT));
        }
        return pem;
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw SafeValues.refused(field, "must be at least 1");
        }
    }
}
