package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigRendererTest {

    private final NginxSettings settings = Specs.settings(Path.of("/var/lib/fg/nginx"), 8080, 18081);
    private final ConfigRenderer renderer = new ConfigRenderer();

    private String render(ObjectNode spec) {
        return renderer.renderConf(ConfigModel.build(Spec.parse(spec), settings, "/var/lib/fg/nginx/conf.3",
                "/var/lib/fg/nginx/unavailable.sock", "conf.3"));
    }

    @Test
    void rendersEveryServiceWithALuaUpstreamAndKeepaliveAfterTheBalancer() {
        String conf = render(Specs.spec(Specs.service("a1", "shop.example.test", 9001, 9002),
                Specs.service("b2", "blog.example.test", 9003).lb("least_conn")));
        assertTrue(conf.contains("load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;"), conf);
        assertTrue(conf.contains("pid /var/lib/fg/nginx/nginx.pid;"));
        String upstream = block(conf, "upstream svc-a1 {");
        assertTrue(upstream.indexOf("balancer_by_lua_block") < upstream.indexOf("keepalive 32;"), upstream);
        String shop = block(conf, "server_name shop.example.test;");
        assertTrue(shop.contains("set $fleetgate_service \"a1\";"), shop);
        assertTrue(shop.contains("proxy_pass http://svc-a1;"), shop);
        assertTrue(shop.contains("proxy_set_header Connection \"\";"), shop);
        assertTrue(shop.contains("client_max_body_size 10485760;"), shop);
        assertFalse(shop.contains("log_by_lua_block"), "round robin needs no log phase");
        assertTrue(block(conf, "server_name blog.example.test;").contains("log_by_lua_block { fleetgate.done() }"));
        assertTrue(conf.contains("listen 127.0.0.1:8080 default_server;"), conf);
        assertTrue(conf.contains("listen unix:/var/lib/fg/nginx/admin/admin.sock;"), conf);
        String status = block(conf, "server_name fleetgate-status;");
        assertTrue(conf.contains("listen 127.0.0.1:18081;\n        server_name fleetgate-status;"), conf);
        assertFalse(status.contains("/peers") || status.contains("/check") || status.contains("/generation"),
                "the TCP port serves only stub_status: " + status);
        assertTrue(conf.contains("return 200 \"conf.3\";"));
    }

    @Test
    void targetsWeightsAndHealthDoNotChangeTheConfiguration() {
        Specs.Service one = Specs.service("a1", "shop.example.test", 9001);
        String before = render(Specs.spec(one));
        Specs.Service other = Specs.service("a1", "shop.example.test", 9005, 9006).healthCheck("/health", 2, 3, 2);
        ((ObjectNode) other.upstream.get("targets").get(0)).put("weight", 7);
        assertEquals(before, render(Specs.spec(other)));
        Map<String, byte[]> a = renderer.render(ConfigModel.build(Spec.parse(Specs.spec(one)), settings, "/x/conf.1", "/x/u.sock", "conf.1"));
        Map<String, byte[]> b = renderer.render(ConfigModel.build(Spec.parse(Specs.spec(other)), settings, "/x/conf.1", "/x/u.sock", "conf.1"));
        assertTrue(ConfigStore.sameFiles(a, b));
        assertTrue(new String(a.get("lua/fleetgate.lua"), StandardCharsets.UTF_8).contains("function _M.balance"));
    }

    @Test
    void websocketsUseTheUpgradeMap() {
        Specs.Service s = Specs.service("a1", "shop.example.test", 9001);
        s.site.put("websockets", true);
        String shop = block(render(Specs.spec(s)), "server_name shop.example.test;");
        assertTrue(shop.contains("proxy_set_header Upgrade $http_upgrade;"), shop);
        assertTrue(shop.contains("proxy_set_header Connection $fleetgate_connection_upgrade;"), shop);
        assertFalse(shop.contains("proxy_set_header Connection \"\";"), shop);
    }

    @Test
    void headersRulesAndExactLocations() {
        Specs.Service s = Specs.service("a1", "shop.example.test", 9001);
        s.site.putObject("requestHeaders").put("X-Env", "prod").put("host", "backend.internal");
        s.site.putObject("responseHeaders").put("X-Frame-Options", "DENY");
        s.site.putArray("accessRules").addObject().put("action", "deny").put("source", "10.0.0.0/8");
        ((ObjectNode) s.site.withArray("locations").addObject()).put("path", "/api").put("match", "exact").put("upstream", "svc-a1");
        String shop = block(render(Specs.spec(s)), "server_name shop.example.test;");
        assertTrue(shop.contains("proxy_set_header X-Env \"prod\";"), shop);
        assertTrue(shop.contains("proxy_set_header host \"backend.internal\";"), shop);
        assertFalse(shop.contains("proxy_set_header Host \"$host\";"), "the spec's Host replaces the default");
        assertTrue(shop.contains("add_header X-Frame-Options \"DENY\" always;"), shop);
        assertTrue(shop.contains("deny 10.0.0.0/8;"), shop);
        assertTrue(shop.contains("location = /api {"), shop);
    }

    @Test
    void tlsSitesGetTheirFilesAndARedirect() {
        Specs.Service s = Specs.service("a1", "shop.example.test", 9001);
        s.site.withArray("listen").addObject().put("tls", true);
        s.site.putObject("tls").put("certificateId", "c-1").put("certificatePem", "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n")
                .put("privateKeyPem", "-----BEGIN PRIVATE KEY-----\ny\n-----END PRIVATE KEY-----\n")
                .put("redirectHttp", true).put("hstsMaxAgeSeconds", 600);
        ConfigModel model = ConfigModel.build(Spec.parse(Specs.spec(s)), settings, "/g", "/u.sock", "g");
        String conf = renderer.renderConf(model);
        assertTrue(model.files().containsKey("tls/c-1.key"));
        assertTrue(conf.contains("return 301 https://$host:8081$request_uri;"), conf);
        assertTrue(conf.contains("listen 127.0.0.1:8081 ssl;"), conf);
        assertTrue(conf.contains("listen 127.0.0.1:8081 default_server ssl;"), conf);
        assertTrue(conf.contains("ssl_certificate_key /g/tls/c-1.key;"), conf);
        assertTrue(conf.contains("add_header Strict-Transport-Security \"max-age=600\" always;"), conf);
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
