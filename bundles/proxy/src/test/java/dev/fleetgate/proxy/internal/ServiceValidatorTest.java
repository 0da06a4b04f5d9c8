package dev.fleetgate.proxy.internal;

import static dev.fleetgate.proxy.internal.ValidatorAssertions.invalid;
import static dev.fleetgate.proxy.internal.ValidatorAssertions.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.FieldError;

class ServiceValidatorTest {

    @Test
    void contractExampleGetsDefaults() {
        ServiceConfig c = valid(Bodies.minimal());
        assertEquals("shop", c.name());
        assertEquals(List.of("shop.example.test"), c.domains());
        assertEquals("round_robin", c.upstream().lbMethod());
        assertEquals(ServiceConfig.DEFAULT_KEEPALIVE, c.upstream().keepalive());
        assertEquals(
                new ServiceConfig.HealthCheck("/health", 5, 2, 3, 2),
                c.upstream().healthCheck());
        assertEquals(ServiceConfig.Timeouts.DEFAULT, c.timeouts());
        assertEquals("10m", c.maxBodySize());
        assertEquals(Map.of(), c.requestHeaders());
        assertEquals(false, c.websockets());
        assertNull(c.containers());
    }

    @Test
    void everyFieldIsKept() {
        ServiceConfig c = valid(Bodies.full());
        assertEquals(List.of("shop.example.test", "*.shop.example.test"), c.domains());
        assertEquals(
                new ServiceConfig.Target("127.0.0.1", 9001, 2, 3, 10),
                c.upstream().targets().get(0));
        assertEquals(
                new ServiceConfig.Target("app.internal", 9002, 1, null, null),
                c.upstream().targets().get(1));
        assertEquals("least_conn", c.upstream().lbMethod());
        assertEquals(16, c.upstream().keepalive());
        assertEquals(new ServiceConfig.Timeouts(3, 30, 20), c.timeouts());
        assertEquals("20m", c.maxBodySize());
        assertEquals(Map.of("X-Env", "prod"), c.requestHeaders());
        assertEquals(Map.of("X-Frame-Options", "DENY"), c.responseHeaders());
        assertTrue(c.websockets());
        assertEquals("registry.local:5000/shop/web:1.2", c.containers().image());
        assertEquals("httpd -f -p 127.0.0.1:${PORT}", c.containers().command().asText());
        assertEquals(2, c.containers().replicas());
    }

    @Test
    void everyFailingFieldIsNamed() {
        ObjectNode b = Bodies.json("{'name':'Shop!','domains':['a..b','ok.test','OK.test'],'agentIds':['nope'],"
                + "'upstream':{'targets':[{'host':'127.0.0.1','port':80},{'host':'x','port':70000,'weight':0}],"
                + "'lbMethod':'random','healthCheck':{'path':'health','intervalSeconds':0,'fall':11,'rise':0}},"
                + "'timeouts':{'readSeconds':3601},'maxBodySize':'10mb','websockets':'yes'}");
        Set<String> fields = fields(b);
        assertEquals(
                Set.of(
                        "name",
                        "domains[0]",
                        "domains[2]",
                        "agentIds[0]",
                        "upstream.targets[1].port",
                        "upstream.targets[1].weight",
                        "upstream.lbMethod",
                        "upstream.healthCheck.path",
                        "upstream.healthCheck.intervalSeconds",
                        "upstream.healthCheck.fall",
                        "upstream.healthCheck.rise",
                        "timeouts.readSeconds",
                        "maxBodySize",
                        "websockets"),
                fields);
    }

    private static Set<String> fields(ObjectNode b) {
        return ValidatorAssertions.VALIDATOR.validate(b).errors().stream()
                .map(FieldError::field)
                .collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "shop",
                "shop-2",
                "0",
                "a" + "bcdefghij" + "bcdefghij" + "bcdefghij" + "bcdefghij" + "bcdefghij" + "bcdefghij" + "bc"
            })
    void validNames(String name) {
        valid(Bodies.minimal().put("name", name));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-a",
                "a-",
                "Shop",
                "a_b",
                "a.b",
                "a b",
                "ab;",
                "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"
            })
    void invalidNames(String name) {
        invalid(Bodies.minimal().put("name", name), "name");
    }

    @Test
    void requiredFields() {
        ObjectNode b = Bodies.minimal();
        b.remove("name");
        invalid(b, "name");
        b = Bodies.minimal();
        b.remove("domains");
        invalid(b, "domains");
        b = Bodies.minimal();
        b.putArray("domains");
        invalid(b, "domains");
        b = Bodies.minimal();
        b.remove("upstream");
        invalid(b, "upstream");
        invalid(Bodies.json("{'name':'a','domains':['a.test'],'upstream':{'targets':[]}}"), "upstream.targets");
        invalid(Bodies.json("{'name':'a','domains':['a.test'],'upstream':{}}"), "upstream.targets");
        invalid(
                Bodies.json("{'name':'a','domains':['a.test'],'upstream':{'targets':[{'port':1}]}}"),
                "upstream.targets[0].host");
        invalid(
                Bodies.json("{'name':'a','domains':['a.test'],'upstream':{'targets':[{'host':'a'}]}}"),
                "upstream.targets[0].port");
    }

    @Test
    void notAnObject() {
        invalid(Bodies.array(), "body");
        assertEquals(
                "body",
                ValidatorAssertions.VALIDATOR.validate(null).errors().get(0).field());
    }

    @Test
    void containersMakeTargetsOptional() {
        ServiceConfig c = valid(Bodies.json("{'name':'a','domains':['a.test'],'containers':{'image':'busybox'}}"));
        assertEquals(List.of(), c.upstream().targets());
        assertEquals(1, c.containers().replicas());
        ObjectNode b =
                Bodies.json("{'name':'a','domains':['a.test'],'upstream':{'targets':[]},'containers':{'image':'web:1',"
                        + "'command':['httpd','-p','${PORT}'],'replicas':0}}");
        ((ObjectNode) b.get("containers")).putObject("env").put("_A1", "x=1; y=\"$2\" {'}\\");
        assertEquals(
                "x=1; y=\"$2\" {'}\\", valid(b).containers().env().get("_A1"), "env values go to Docker, not nginx");
    }

    @Test
    void containerRules() {
        String base = "{'name':'a','domains':['a.test'],'containers':";
        invalid(Bodies.json(base + "{}}"), "containers.image");
        invalid(Bodies.json(base + "{'image':'Busybox'}}"), "containers.image");
        invalid(Bodies.json(base + "{'image':'a b'}}"), "containers.image");
        invalid(Bodies.json(base + "{'image':'a','replicas':101}}"), "containers.replicas");
        invalid(Bodies.json(base + "{'image':'a','port':0}}"), "containers.port");
        invalid(Bodies.json(base + "{'image':'a','command':5}}"), "containers.command");
        invalid(Bodies.json(base + "{'image':'a','command':['ok',1]}}"), "containers.command[1]");
        invalid(Bodies.json(base + "{'image':'a','env':{'1A':'x'}}}"), "containers.env");
        invalid(Bodies.json(base + "{'image':'a','env':{'A-B':'x'}}}"), "containers.env");
        invalid(Bodies.json(base + "{'image':'a','env':{'A':1}}}"), "containers.env.A");
        valid(Bodies.json(base + "{'image':'localhost:5000/a/b_c:v1.0@sha256:" + "a".repeat(64) + "'}}"));
    }
}
