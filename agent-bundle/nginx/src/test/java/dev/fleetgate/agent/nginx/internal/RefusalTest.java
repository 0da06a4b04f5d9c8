package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Every string field that is rendered refuses every character that could change nginx's configuration. */
class RefusalTest {

    private static final List<String> PAYLOADS = List.of(
            ";",
            "{",
            "}",
            "\"",
            "'",
            "\\",
            "$",
            "\r",
            "\n",
            "x; return 200 pwned",
            "x\"; }",
            "${host}",
            "a\nlocation / { }");

    private final NginxSettings settings = Specs.settings(Path.of("/w"), 8080, 18081);

    /** field name → how to put a value there */
    private static final List<Field> FIELDS = List.of(
            new Field("sites[0].id", (s, v) -> s.site.put("id", v)),
            new Field("sites[0].serviceId", (s, v) -> s.site.put("serviceId", v)),
            new Field("sites[0].serviceName", (s, v) -> s.site.put("serviceName", v)),
            new Field("sites[0].serverNames[0]", (s, v) -> ((ArrayNode) s.site.get("serverNames")).set(0, v)),
            new Field("sites[0].locations[0].path", (s, v) -> loc(s).put("path", v)),
            new Field("sites[0].locations[0].match", (s, v) -> loc(s).put("match", v)),
            new Field("sites[0].locations[0].upstream", (s, v) -> loc(s).put("upstream", v)),
            new Field("sites[0].locations[0].handler", (s, v) -> {
                loc(s).remove("upstream");
                loc(s).put("handler", v);
            }),
            new Field("sites[0].requestHeaders.X-A", (s, v) -> s.site.putObject("requestHeaders")
                    .put("X-A", v)),
            new Field("sites[0].requestHeaders.", (s, v) -> s.site.putObject("requestHeaders")
                    .put(v, "x")),
            new Field("sites[0].responseHeaders.X-A", (s, v) -> s.site.putObject("responseHeaders")
                    .put("X-A", v)),
            new Field("sites[0].responseHeaders.", (s, v) -> s.site.putObject("responseHeaders")
                    .put(v, "x")),
            new Field("sites[0].accessRules[0].source", (s, v) -> s.site.putArray("accessRules")
                    .addObject()
                    .put("action", "deny")
                    .put("source", v)),
            new Field("sites[0].accessRules[0].action", (s, v) -> s.site.putArray("accessRules")
                    .addObject()
                    .put("action", v)
                    .put("source", "all")),
            new Field("sites[0].errorPages[0].contentType", (s, v) -> s.site.putArray("errorPages")
                    .addObject()
                    .put("contentType", v)
                    .put("body", "x")
                    .putArray("statuses")
                    .add(502)),
            new Field("sites[0].tls.certificateId", (s, v) -> {
                ((ObjectNode) s.site.get("listen").get(0)).put("tls", true);
                s.site.putObject("tls")
                        .put("certificateId", v)
                        .put("certificatePem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----")
                        .put("privateKeyPem", "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----");
            }),
            new Field("upstreams[0].name", (s, v) -> s.upstream.put("name", v)),
            new Field("upstreams[0].serviceId", (s, v) -> s.upstream.put("serviceId", v)),
            new Field("upstreams[0].lbMethod", (s, v) -> s.upstream.put("lbMethod", v)),
            new Field("accessRules[0].source", null));

    private record Field(String name, BiConsumer<Specs.Service, String> set) {}

    private static ObjectNode loc(Specs.Service s) {
        return (ObjectNode) s.site.get("locations").get(0);
    }

    @Test
    void everyRenderedStringFieldRefusesEveryPayload() {
        for (Field field : FIELDS) {
            for (String payload : PAYLOADS) {
                Specs.Service s = Specs.service("a1", "shop.example.test", 9001);
                ObjectNode spec;
                if (field.set() == null) {
                    spec = Specs.spec(s);
                    spec.putArray("accessRules")
                            .addObject()
                            .put("action", "deny")
                            .put("source", payload);
                } else {
                    field.set().accept(s, "ok" + payload + "x");
                    spec = Specs.spec(s);
                }
                IllegalArgumentException e = assertThrows(
                        IllegalArgumentException.class,
                        () -> ConfigModel.build(Spec.parse(spec), settings, "/w/conf.1", "/w/u.sock", "conf.1"),
                        field.name() + " accepted "
                                + payload.replace("\n", "\\n").replace("\r", "\\r"));
                assertTrue(e.getMessage().contains(field.name()), field.name() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void healthCheckPathsAndTargetHostsAreCheckedToo() {
        PeerTable table = new PeerTable();
        for (String payload : PAYLOADS) {
            Specs.Service s = Specs.service("a1", "shop.example.test", 9001).healthCheck("/h" + payload, 1, 1, 1);
            table.upstreams(Spec.parse(Specs.spec(s)).upstreams());
            assertThrows(IllegalArgumentException.class, () -> table.checks(table.members(), k -> null), payload);
            Specs.Service t = Specs.service("a1", "shop.example.test", 9001);
            ((ObjectNode) t.upstream.get("targets").get(0)).put("host", "127.0.0.1" + payload);
            table.upstreams(Spec.parse(Specs.spec(t)).upstreams());
            assertThrows(IllegalArgumentException.class, table::members, payload);
        }
    }

    @Test
    void structuralMistakesAreRefusedWithTheirField() {
        Specs.Service s = Specs.service("a1", "shop.example.test", 9001);
        loc(s).put("upstream", "svc-missing");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ConfigModel.build(Spec.parse(Specs.spec(s)), settings, "/w/c", "/w/u", "c"));
        assertTrue(e.getMessage().contains("sites[0].locations[0].upstream names no upstream"), e.getMessage());
        Specs.Service n = Specs.service("a1", "shop.example.test", 9001);
        n.site.put("maxBodyBytes", -1);
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfigModel.build(Spec.parse(Specs.spec(n)), settings, "/w/c", "/w/u", "c"));
    }
}
