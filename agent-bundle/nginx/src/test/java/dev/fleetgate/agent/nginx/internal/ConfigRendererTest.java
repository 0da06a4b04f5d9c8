package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ConfigRendererTest {

    private final NginxSettings settings = Specs.settings(Path.of("/var/lib/fg/nginx"), 8080, 18081);
    private final ConfigRenderer renderer = new ConfigRenderer();

    private String render(ObjectNode spec) {
        return renderer.renderConf(ConfigModel.build(
                Spec.parse(spec),
                settings,
                "/var/lib/fg/nginx/conf.3",
                "/var/lib/fg/nginx/unavailable.sock",
                "conf.3"));
    }

    private ObjectNode routes(ObjectNode spec) {
        return ConfigModel.build(Spec.parse(spec), settings, "/g", "/u.sock", "g")
                .routes();
    }

    @Test
    void trustedProxiesTurnOnRealIp() {
        ObjectNode spec = Specs.spec(Specs.service("a1", "shop.example.test", 9001));
        String plain = render(spec);
        assertFalse(
                plain.contains("set_real_ip_from") || plain.contains("real_ip_header"),
                "no trusted proxy: the peer is the client");
        String conf = new ConfigRenderer()
                .renderConf(ConfigModel.build(
                        Spec.parse(spec),
                        settings.withTrustedProxies(java.util.List.of("10.0.0.0/8", "2001:db8::7")),
                        "/g",
                        "/u.sock",
                        "g"));
        assertTrue(conf.contains("    set_real_ip_from 10.0.0.0/8;\n    set_real_ip_from 2001:db8::7;\n"), conf);
        assertTrue(conf.contains("real_ip_header X-Forwarded-For;"), conf);
        assertTrue(conf.contains("real_ip_recursive on;"), conf);
        assertTrue(conf.indexOf("real_ip_header") < conf.indexOf("log_format"), conf);
        // the peer (before realip) decides whether X-Forwarded-Proto is kept and a forwarded https is redirected
        String geo = block(conf, "geo $realip_remote_addr $fg_trusted_peer {");
        assertTrue(geo.contains("default 0;\n        10.0.0.0/8 1;\n        2001:db8::7 1;\n"), geo);
        assertTrue(conf.contains("\"~^1:(?<fg_xfp>https?)$\" $fg_xfp;"), conf);
        assertTrue(plain.contains("map $scheme $fg_h_proto { default $scheme; }"), plain);
        assertFalse(plain.contains("fg_trusted_peer"), plain);
    }

    @Test
    void rendersOneServerPerListenerAndOneLuaBalancedUpstream() {
        String conf = render(Specs.spec(
                Specs.service("a1", "shop.example.test", 9001, 9002),
                Specs.service("b2", "blog.example.test", 9003).lb("least_conn")));
        assertTrue(conf.contains("load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;"), conf);
        assertTrue(conf.contains("pid /var/lib/fg/nginx/nginx.pid;"));
        String upstream = block(conf, "upstream fleetgate {");
        assertTrue(upstream.indexOf("balancer_by_lua_block") < upstream.indexOf("keepalive 256;"), upstream);
        assertFalse(conf.contains("shop.example.test") || conf.contains("svc-a1"), "no site in nginx.conf: " + conf);
        String server = block(conf, "listen 127.0.0.1:8080 default_server;");
        assertTrue(server.contains("access_by_lua_block { fleetgate.route(\"127.0.0.1:8080\") }"), server);
        assertTrue(server.contains("proxy_pass http://fleetgate;"), server);
        assertTrue(server.contains("proxy_set_header Connection $fg_connection;"), server);
        assertTrue(server.contains("set $fleetgate_service \"\";"), server);
        assertTrue(server.contains("log_by_lua_block { fleetgate.done() }"), server);
        String plain = block(conf, "location / {");
        assertFalse(
                plain.contains("header_filter_by_lua")
                        || plain.contains("body_filter_by_lua")
                        || plain.contains("log_by_lua"),
                "other sites do not pay for the filters and the log phase: " + plain);
        ObjectNode routes = routes(Specs.spec(
                Specs.service("a1", "shop.example.test", 9001),
                Specs.service("b2", "blog.example.test", 9003).lb("least_conn")));
        assertFalse(routes.path("sites").get(0).path("locations").get(0).has("leastConn"), routes.toString());
        assertTrue(
                routes.path("sites")
                        .get(1)
                        .path("locations")
                        .get(0)
                        .path("leastConn")
                        .asBoolean(),
                "least_conn locations take the location with the log phase: " + routes);
        String filtered = block(conf, "location @fleetgate_filtered {");
        assertTrue(
                filtered.contains("fleetgate.route(\"127.0.0.1:8080\", true)")
                        && filtered.contains("fleetgate.headers()")
                        && filtered.contains("fleetgate.body()"),
                filtered);
        assertTrue(conf.contains("listen unix:/var/lib/fg/nginx/admin/admin.sock;"), conf);
        assertTrue(conf.contains("location = /routes {"), conf);
        assertTrue(
                conf.contains("routes = \"/var/lib/fg/nginx/routes.json\", peers = \"/var/lib/fg/nginx/peers.json\""),
                conf);
        String status = block(conf, "server_name fleetgate-status;");
        assertTrue(conf.contains("listen 127.0.0.1:18081;\n        server_name fleetgate-status;"), conf);
        assertFalse(
                status.contains("/peers")
                        || status.contains("/check")
                        || status.contains("/generation")
                        || status.contains("/routes"),
                "the TCP port serves only stub_status: " + status);
        assertTrue(conf.contains("return 200 \"conf.3\";"));
    }

    @Test
    void onlyTheListenersChangeTheConfiguration() {
        Specs.Service one = Specs.service("a1", "shop.example.test", 9001);
        String before = render(Specs.spec(one));
        Specs.Service other = Specs.service("a1", "shop.example.test", 9005, 9006)
                .healthCheck("/health", 2, 3, 2)
                .lb("ip_hash");
        ((ObjectNode) other.upstream.get("targets").get(0)).put("weight", 7);
        other.site.put("websockets", true).putObject("requestHeaders").put("X-Env", "prod");
        other.site.putArray("accessRules").addObject().put("action", "deny").put("source", "10.0.0.0/8");
        ((com.fasterxml.jackson.databind.node.ArrayNode) other.site.get("serverNames")).add("*.shop.example.test");
        Specs.Service more = Specs.service("b2", "blog.example.test", 9003);
        assertEquals(before, render(Specs.spec(other, more)));
        Map<String, byte[]> a = renderer.render(
                ConfigModel.build(Spec.parse(Specs.spec(one)), settings, "/x/conf.1", "/x/u.sock", "conf.1"));
        Map<String, byte[]> b = renderer.render(
                ConfigModel.build(Spec.parse(Specs.spec(other, more)), settings, "/x/conf.1", "/x/u.sock", "conf.1"));
        assertTrue(ConfigStore.sameFiles(a, b));
        assertTrue(new String(a.get("lua/fleetgate.lua"), StandardCharsets.UTF_8).contains("function _M.route"));
        Specs.Service elsewhere = Specs.service("c3", "c.example.test", 9004);
        ((ObjectNode) elsewhere.site.get("listen").get(0)).put("port", 8090);
        String moved = render(Specs.spec(one, elsewhere));
        assertTrue(moved.contains("listen 127.0.0.1:8090 default_server;"), moved);
    }

    @Test
    void theRoutesDocumentHoldsEverySiteFeature() {
        Specs.Service s = Specs.service("a1", "shop.example.test", 9001);
        s.site.put("websockets", true);
        ((com.fasterxml.jackson.databind.node.ArrayNode) s.site.get("serverNames")).add("*.shop.example.test");
        s.site.putObject("requestHeaders").put("X-Env", "prod").put("host", "backend.internal");
        s.site.putObject("responseHeaders").put("X-Frame-Options", "DENY");
        s.site.putArray("accessRules").addObject().put("action", "deny").put("source", "10.0.0.0/8");
        s.site.putObject("timeouts")
                .put("connectSeconds", 2)
                .put("readSeconds", 30)
                .put("sendSeconds", 20);
        ((ObjectNode) s.site.withArray("locations").addObject())
                .put("path", "/api")
                .put("match", "exact")
                .put("upstream", "svc-a1");
        s.site.putArray("errorPages")
                .addObject()
                .put("contentType", "text/html; charset=utf-8")
                .put("body", "<h1>x</h1>")
                .putArray("statuses")
                .add(502)
                .add(503);
        ObjectNode spec = Specs.spec(s);
        spec.putArray("accessRules").addObject().put("action", "allow").put("source", "2001:db8::/32");
        ObjectNode routes = routes(spec);
        assertEquals(
                0,
                routes.path("listeners")
                        .path("127.0.0.1:8080")
                        .path("names")
                        .path("*.shop.example.test")
                        .asInt(),
                routes.toString());
        var site = routes.path("sites").get(0);
        assertEquals("a1", site.path("service").asText());
        assertEquals("/api", site.path("locations").get(0).path("path").asText(), "exact locations first");
        assertTrue(site.path("locations").get(0).path("exact").asBoolean());
        assertEquals("svc-a1", site.path("locations").get(1).path("upstream").asText());
        assertEquals(
                "[[\"allow\",\"2001:db8::/32\"],[\"deny\",\"10.0.0.0/8\"]]",
                site.path("rules").toString(),
                "global rules first");
        assertEquals("[2,20,30]", site.path("timeouts").toString(), "connect, send, read");
        assertEquals(
                "backend.internal", site.path("requestHeaders").path("host").asText());
        assertEquals(
                "DENY", site.path("responseHeaders").path("X-Frame-Options").asText());
        assertTrue(site.path("websockets").asBoolean());
        assertEquals(
                "text/html; charset=utf-8",
                site.path("errorPages").path("503").path("type").asText());
        assertEquals(10485760, site.path("maxBody").asLong());
    }

    @Test
    void anOcspResponseGoesWithItsCertificateIntoTheRoutesAndGarbageIsRefused() {
        Specs.Service s = Specs.service("a1", "shop.example.test", 9001);
        s.site.withArray("listen").addObject().put("tls", true);
        ObjectNode tls = s.site.putObject("tls")
                .put("certificateId", "c-1")
                .put("certificatePem", "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n")
                .put("privateKeyPem", "-----BEGIN PRIVATE KEY-----\ny\n-----END PRIVATE KEY-----\n")
                .put("ocspResponse", "MAMKAQA=")
                .put("ocspNextUpdate", 1_900_000_000L);
        ObjectNode certificate =
                (ObjectNode) ConfigModel.build(Spec.parse(Specs.spec(s)), settings, "/g", "/u.sock", "g")
                        .routes()
                        .path("certificates")
                        .path("c-1");
        assertEquals("MAMKAQA=", certificate.path("ocsp").asText(), certificate.toString());
        assertEquals(1_900_000_000L, certificate.path("ocspNextUpdate").asLong());

        tls.put("ocspResponse", "not base64!");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ConfigModel.build(Spec.parse(Specs.spec(s)), settings, "/g", "/u.sock", "g"));
        assertTrue(e.getMessage().contains("sites[0].tls.ocspResponse"), e.getMessage());
        tls.remove("ocspResponse");
        tls.remove("ocspNextUpdate");
        ObjectNode without = (ObjectNode) ConfigModel.build(Spec.parse(Specs.spec(s)), settings, "/g", "/u.sock", "g")
                .routes()
                .path("certificates")
                .path("c-1");
        assertFalse(without.has("ocsp"), without.toString());
    }

    @Test
    void tlsSitesGetAListenerTheirCertificateAndARedirect() {
        Specs.Service s = Specs.service("a1", "shop.example.test", 9001);
        s.site.withArray("listen").addObject().put("tls", true);
        s.site.putObject("tls")
                .put("certificateId", "c-1")
                .put("certificatePem", "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n")
                .put("privateKeyPem", "-----BEGIN PRIVATE KEY-----\ny\n-----END PRIVATE KEY-----\n")
                .put("redirectHttp", true)
                .put("hstsMaxAgeSeconds", 600);
        ConfigModel model = ConfigModel.build(Spec.parse(Specs.spec(s)), settings, "/g", "/u.sock", "g");
        String conf = renderer.renderConf(model);
        assertTrue(model.files().isEmpty(), "no key in the generation");
        assertFalse(conf.contains("PRIVATE KEY"));
        String tls = block(conf, "listen 127.0.0.1:8081 default_server ssl;");
        assertTrue(tls.contains("ssl_certificate_by_lua_block { fleetgate.certificate(\"127.0.0.1:8081\") }"), tls);
        assertTrue(tls.contains("ssl_certificate /var/lib/fg/nginx/tls/fallback.crt;"), tls);
        ObjectNode routes = model.routes();
        assertEquals(
                0,
                routes.path("listeners")
                        .path("127.0.0.1:8080")
                        .path("names")
                        .path("shop.example.test")
                        .asInt());
        assertEquals(
                1,
                routes.path("listeners")
                        .path("127.0.0.1:8081")
                        .path("names")
                        .path("shop.example.test")
                        .asInt());
        assertEquals(
                8081, routes.path("sites").get(0).path("redirect").path("port").asInt(), routes.toString());
        assertEquals("c-1", routes.path("sites").get(1).path("certificate").asText());
        assertFalse(routes.path("sites").get(0).has("maxBody"), "only the redirect: " + routes);
        // behind an edge (trusted proxies): the plain entry is the whole site plus the redirect, for Lua to serve a
        // trusted peer's forwarded https
        ObjectNode behind = ConfigModel.build(
                        Spec.parse(Specs.spec(s)),
                        settings.withTrustedProxies(java.util.List.of("127.0.0.1")),
                        "/g",
                        "/u.sock",
                        "g")
                .routes();
        JsonNode redirect = behind.path("sites").get(0);
        assertEquals(8081, redirect.path("redirect").path("port").asInt(), behind.toString());
        assertTrue(redirect.path("redirect").path("forwarded").asBoolean(), behind.toString());
        assertEquals(
                "svc-a1", redirect.path("locations").get(0).path("upstream").asText(), behind.toString());
        assertFalse(redirect.has("certificate"), behind.toString());
        assertTrue(routes.path("certificates").path("c-1").path("key").asText().contains("PRIVATE KEY"));
        assertEquals(
                "max-age=600",
                routes.path("sites")
                        .get(1)
                        .path("responseHeaders")
                        .path("Strict-Transport-Security")
                        .asText());
    }

    @Test
    void theRoutesVersionIsTheRevision() {
        ConfigModel model = ConfigModel.build(
                Spec.parse(Specs.spec(Specs.service("a1", "a.test", 9001))), settings, "/g", "/u", "g");
        assertTrue(
                ProxyDriver.routes(model, 42L).startsWith("{\"version\":42,\"listeners\":"),
                ProxyDriver.routes(model, 42L));
        assertTrue(ProxyDriver.routes(ConfigModel.build(Spec.EMPTY, settings, "/g", "/u", "g"), null)
                .startsWith("{\"version\":0,"));
    }

    /** @return the text from the line holding {@code marker} to the end of its block */
    static String block(String conf, String marker) {
        int at = conf.indexOf(marker);
        assertTrue(at >= 0, "no " + marker + " in\n" + conf);
        int start = conf.lastIndexOf('{', at) < conf.lastIndexOf('\n', at) ? conf.lastIndexOf('\n', at) : at;
        int depth = 0;
        for (int i = at; i < conf.length(); i++) {
            char c = conf.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return conf.substring(start, i + 1);
                }
                depth--;
            }
        }
        return conf.substring(start);
    }
}
