package dev.fleetgate.agent.nginx.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns one site of the spec into its entries of the routing document: one site entry named on each of its
 * listeners, or (TLS with {@code redirectHttp}) a redirecting entry on the plain listeners beside the TLS one. With
 * trusted proxies that entry is the whole site plus the redirect: Lua serves a trusted peer's plain request that
 * carries {@code X-Forwarded-Proto: https} (an edge agent terminated TLS) and redirects every other one.
 */
final class SiteBlocks {

    private SiteBlocks() {}

    static void build(
            Spec.Site site,
            String f,
            NginxSettings settings,
            Map<String, Spec.Upstream> upstreams,
            List<String[]> globalRules,
            Map<String, Boolean> listens,
            ObjectNode listeners,
            ArrayNode sites,
            ObjectNode certificates,
            JsonNode maintenance,
            JsonNode problems) {
        String serviceId = site.serviceId() == null ? null : SafeValues.serviceId(f + ".serviceId", site.serviceId());
        if (site.serviceName() != null) {
            SafeValues.text(f + ".serviceName", site.serviceName(), 128);
        }
        if (site.serverNames().isEmpty()) {
            throw SafeValues.refused(f + ".serverNames", "is empty");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < site.serverNames().size(); i++) {
            names.add(SafeValues.serverName(
                    f + ".serverNames[" + i + "]", site.serverNames().get(i)));
        }
        List<String> plain = new ArrayList<>();
        List<String> tls = new ArrayList<>();
        int httpsPort = 0;
        for (int i = 0; i < site.listen().size(); i++) {
            Spec.Listen l = site.listen().get(i);
            int port = l.port() != null ? l.port() : l.tls() ? settings.httpsPort() : settings.httpPort();
            if (port < 1 || port > 65535) {
                throw SafeValues.refused(f + ".listen[" + i + "].port", "is an invalid port: " + port);
            }
            String listen = settings.listen(port);
            Boolean before = listens.putIfAbsent(listen, l.tls());
            if (before != null && before != l.tls()) {
                throw SafeValues.refused(
                        f + ".listen[" + i + "]",
                        "uses " + listen + " with" + (l.tls() ? "" : "out") + " TLS, another site without"
                                + (l.tls() ? "" : "out") + " it");
            }
            if (l.tls() && httpsPort == 0) {
                httpsPort = port;
            }
            (l.tls() ? tls : plain).add(listen);
        }
        ObjectNode responseHeaders = JsonNodeFactory.instance.objectNode();
        site.responseHeaders()
                .forEach((name, value) -> responseHeaders.put(
                        SafeValues.headerName(f + ".responseHeaders." + name, name),
                        SafeValues.headerValue(f + ".responseHeaders." + name, value)));
        String certificateId = null;
        if (!tls.isEmpty()) {
            Spec.Tls t = site.tls();
            if (t == null) {
                throw SafeValues.refused(f + ".listen", "has a TLS listener but the site has no tls");
            }
            certificateId = SafeValues.fileId(f + ".tls.certificateId", t.certificateId());
            ObjectNode certificate = certificates
                    .putObject(certificateId)
                    .put("cert", pem(f + ".tls.certificatePem", t.certificatePem(), "CERTIFICATE"))
                    .put("key", pem(f + ".tls.privateKeyPem", t.privateKeyPem(), "PRIVATE KEY"));
            if (t.ocspResponse() != null) {
                // stapled by Lua (ssl_certificate_by_lua) after ngx.ocsp.validate_ocsp_response
                certificate.put("ocsp", ocsp(f + ".tls.ocspResponse", t.ocspResponse()));
                if (t.ocspNextUpdate() != null) {
                    certificate.put("ocspNextUpdate", t.ocspNextUpdate());
                }
            }
            if (t.hstsMaxAgeSeconds() != null) {
                if (t.hstsMaxAgeSeconds() < 0) {
                    throw SafeValues.refused(f + ".tls.hstsMaxAgeSeconds", "must not be negative");
                }
                responseHeaders.put("Strict-Transport-Security", "max-age=" + t.hstsMaxAgeSeconds());
            }
        }
        ArrayNode rules = JsonNodeFactory.instance.arrayNode();
        List<String[]> all = new ArrayList<>(globalRules);
        all.addAll(ConfigModel.rules(f + ".accessRules", site.accessRules()));
        all.forEach(r -> rules.addArray().add(r[0]).add(r[1]));
        if (site.maxBodyBytes() < 0) {
            throw SafeValues.refused(f + ".maxBodyBytes", "must not be negative");
        }
        Spec.Timeouts t = site.timeouts();
        positive(f + ".timeouts.connectSeconds", t.connectSeconds());
        positive(f + ".timeouts.readSeconds", t.readSeconds());
        positive(f + ".timeouts.sendSeconds", t.sendSeconds());
        ObjectNode requestHeaders = JsonNodeFactory.instance.objectNode();
        ConfigModel.proxyHeaders(f + ".requestHeaders", site.requestHeaders())
                .forEach(h -> requestHeaders.put(h.name(), h.value()));
        ObjectNode pages = errorPages(site, f);
        ArrayNode locations = JsonNodeFactory.instance.arrayNode();
        ArrayNode acme = JsonNodeFactory.instance.arrayNode();
        boolean keepalive = true;
        List<ObjectNode> exact = new ArrayList<>();
        List<ObjectNode> prefix = new ArrayList<>();
        for (int i = 0; i < site.locations().size(); i++) {
            String lf = f + ".locations[" + i + "]";
            Spec.Location loc = site.locations().get(i);
            ObjectNode l = location(lf, loc, upstreams);
            (l.path("exact").asBoolean() ? exact : prefix).add(l);
            if (l.has("upstream") && upstreams.get(l.path("upstream").asText()).keepalive() == 0) {
                keepalive = false;
            }
        }
        // nginx's order: exact matches, then the longest prefix
        prefix.sort((a, b) -> Integer.compare(
                b.path("path").asText().length(), a.path("path").asText().length()));
        exact.forEach(locations::add);
        prefix.forEach(locations::add);
        locations.forEach(l -> {
            if (l.path("acme").asBoolean()) {
                acme.add(l);
            }
        });
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        if (serviceId != null) {
            entry.put("service", serviceId);
        }
        entry.set("locations", locations);
        entry.set("rules", rules);
        entry.put("maxBody", site.maxBodyBytes());
        entry.putArray("timeouts").add(t.connectSeconds()).add(t.sendSeconds()).add(t.readSeconds());
        entry.set("requestHeaders", requestHeaders);
        entry.set("responseHeaders", responseHeaders);
        entry.put("websockets", site.websockets());
        entry.put("keepalive", keepalive);
        entry.set("errorPages", pages);
        if (maintenance != null) {
            entry.set("maintenance", maintenance(f + ".maintenance", maintenance));
        }
        if (problems != null) {
            entry.set("problems", problems(f + ".problems", problems));
        }
        if (certificateId != null) {
            entry.put("certificate", certificateId);
        }
        boolean redirect = site.tls() != null && site.tls().redirectHttp() && !tls.isEmpty() && !plain.isEmpty();
        if (redirect) {
            ObjectNode r;
            if (settings.trustedProxies().isEmpty()) {
                r = JsonNodeFactory.instance.objectNode();
                if (serviceId != null) {
                    r.put("service", serviceId);
                }
                r.set("locations", acme);
                r.set("rules", rules);
                r.putObject("redirect").put("port", httpsPort);
            } else {
                // behind an edge that terminated TLS: a trusted peer's "X-Forwarded-Proto: https" is served as the
                // TLS site (Lua), every other plain request redirected
                r = entry.deepCopy();
                r.remove("certificate");
                r.putObject("redirect").put("port", httpsPort).put("forwarded", true);
            }
            name(listeners, plain, names, sites.size());
            sites.add(r);
            name(listeners, tls, names, sites.size());
            sites.add(entry);
        } else {
            List<String> every = new ArrayList<>(plain);
            every.addAll(tls);
            name(listeners, every, names, sites.size());
            sites.add(entry);
        }
    }

    /** Names a site on listeners; a name another site has there already stays with that one (as nginx did). */
    private static void name(ObjectNode listeners, List<String> on, List<String> names, int index) {
        for (String listen : on) {
            ObjectNode l = listeners.has(listen) ? (ObjectNode) listeners.get(listen) : listeners.putObject(listen);
            ObjectNode n = l.has("names") ? (ObjectNode) l.get("names") : l.putObject("names");
            for (String name : names) {
                if (!n.has(name)) {
                    n.put(name, index);
                }
            }
        }
    }

    private static ObjectNode location(String f, Spec.Location loc, Map<String, Spec.Upstream> upstreams) {
        String path = SafeValues.path(f + ".path", loc.path());
        boolean exact;
        if (loc.match() == null || "prefix".equals(loc.match())) {
            exact = false;
        } else if ("exact".equals(SafeValues.text(f + ".match", loc.match(), 16))) {
            exact = true;
        } else {
            throw SafeValues.refused(f + ".match", "must be prefix or exact");
        }
        if ((loc.upstream() == null) == (loc.handler() == null)) {
            throw SafeValues.refused(f, "needs exactly one of upstream and handler");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("path", path);
        if (loc.handler() != null) {
            if (!ConfigModel.ACME_HANDLER.equals(SafeValues.text(f + ".handler", loc.handler(), 64))) {
                throw SafeValues.refused(f + ".handler", "is unknown: " + loc.handler());
            }
            // as before: a path ending in '/' serves the files below it, another one exactly its last segment
            return out.put("exact", !path.endsWith("/")).put("acme", true);
        }
        Spec.Upstream u = upstreams.get(SafeValues.id(f + ".upstream", loc.upstream()));
        if (u == null) {
            throw SafeValues.refused(f + ".upstream", "names no upstream of the spec: " + loc.upstream());
        }
        out.put("exact", exact).put("upstream", u.name());
        if ("least_conn".equals(u.lbMethod())) {
            out.put("leastConn", true); // its requests go through the location with a log phase (release)
        }
        return out;
    }

    /**
     * The pages module's maintenance of a site: {@code {"rules": [["allow", cidr]..., ["deny", "all"]],
     * "retryAfter": "<seconds>"}}; Lua answers 503 (the site's 503 page) to every client the rules deny.
     */
    private static ObjectNode maintenance(String f, JsonNode m) {
        if (!m.isObject()) {
            throw SafeValues.refused(f, "must be an object");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode rules = out.putArray("rules");
        JsonNode allow = m.path("allow");
        if (!allow.isMissingNode() && !allow.isNull() && !allow.isArray()) {
            throw SafeValues.refused(f + ".allow", "must be an array");
        }
        for (int i = 0; i < allow.size(); i++) {
            JsonNode a = allow.get(i);
            if (!a.isTextual()) {
                throw SafeValues.refused(f + ".allow[" + i + "]", "must be a string");
            }
            rules.addArray().add("allow").add(SafeValues.source(f + ".allow[" + i + "]", a.asText()));
        }
        rules.addArray().add("deny").add("all");
        JsonNode retry = m.path("retryAfterSeconds");
        if (!retry.isMissingNode() && !retry.isNull()) {
            if (!retry.canConvertToInt() || !retry.isIntegralNumber() || retry.asInt() < 0) {
                throw SafeValues.refused(f + ".retryAfterSeconds", "must be a non-negative integer");
            }
            out.put("retryAfter", String.valueOf(retry.asInt()));
        }
        return out;
    }

    /** problem+json bodies by status (Lua data only: never part of nginx.conf). */
    private static ObjectNode problems(String f, JsonNode p) {
        if (!p.isObject()) {
            throw SafeValues.refused(f, "must be an object");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        p.fields().forEachRemaining(e -> {
            int status;
            try {
                status = Integer.parseInt(e.getKey());
            } catch (NumberFormatException x) {
                status = 0;
            }
            if (status < 400 || status > 599 || !e.getValue().isTextual()) {
                throw SafeValues.refused(f + "." + e.getKey(), "must be a text for a status 400..599");
            }
            out.put(String.valueOf(status), e.getValue().asText());
        });
        return out;
    }

    private static ObjectNode errorPages(Spec.Site site, String f) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Set<Integer> seen = new TreeSet<>();
        for (int i = 0; i < site.errorPages().size(); i++) {
            Spec.ErrorPage p = site.errorPages().get(i);
            String pf = f + ".errorPages[" + i + "]";
            String[] type = SafeValues.contentType(pf + ".contentType", p.contentType());
            if (p.statuses().isEmpty()) {
                throw SafeValues.refused(pf + ".statuses", "is empty");
            }
            for (int s : p.statuses()) {
                if (s < 400 || s > 599 || !seen.add(s)) {
                    throw SafeValues.refused(pf + ".statuses", "must be distinct statuses 400..599 (" + s + ")");
                }
                out.putObject(String.valueOf(s))
                        .put("type", type[1] == null ? type[0] : type[0] + "; charset=" + type[1])
                        .put("body", p.body() == null ? "" : p.body());
            }
        }
        return out;
    }

    private static String pem(String field, String pem, String kind) {
        if (pem == null || !pem.contains("-----BEGIN ") || !pem.contains(kind + "-----")) {
            throw SafeValues.refused(field, "is not a PEM " + kind.toLowerCase(java.util.Locale.ROOT));
        }
        return pem;
    }

    /** @return the OCSP response (DER, base64) when it is base64 of at most 16 KiB */
    static String ocsp(String field, String base64) {
        byte[] der;
        try {
            der = java.util.Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw SafeValues.refused(field, "is not base64");
        }
        if (der.length == 0 || der.length > 16 * 1024) {
            throw SafeValues.refused(field, "must hold 1 byte to 16 KiB");
        }
        return base64;
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw SafeValues.refused(field, "must be at least 1");
        }
    }
}
