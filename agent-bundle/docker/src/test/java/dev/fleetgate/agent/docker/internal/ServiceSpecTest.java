package dev.fleetgate.agent.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ServiceSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode minimal() {
        ObjectNode s = JSON.createObjectNode();
        s.put("serviceId", "0b4f6f5e-1c1d-4c51-9e0e-1e1e1e1e1e1e");
        s.put("serviceName", "shop");
        s.put("image", "fleetgate/demo:latest");
        return s;
    }

    private static JsonNode body(ObjectNode... services) {
        ObjectNode body = JSON.createObjectNode();
        var list = body.putArray("services");
        for (ObjectNode s : services) {
            list.add(s);
        }
        return body;
    }

    private static String error(ObjectNode service) {
        return assertThrows(IllegalArgumentException.class, () -> ServiceSpec.parseAll(body(service)))
                .getMessage();
    }

    @Test
    void defaults() {
        ServiceSpec spec =
                ServiceSpec.parseAll(body(minimal())).values().iterator().next();
        assertEquals(1, spec.replicas());
        assertEquals(8080, spec.port());
        assertEquals("no", spec.restartPolicy());
        assertEquals("host", spec.network());
        assertNull(spec.command());
        assertNull(spec.healthCheck());
        assertEquals(Map.of(), spec.env());
        assertEquals(Map.of(), ServiceSpec.parseAll(JSON.createObjectNode()));
    }

    @Test
    void fullSpecAndHealthCheckDefaults() throws Exception {
        ObjectNode s = minimal();
        s.putArray("command").add("/bin/httpd").add("-p").add("127.0.0.1:${PORT}");
        s.putObject("env").put("GREETING", "hi");
        s.put("replicas", 3)
                .put("cpus", 0.5)
                .put("memoryBytes", 134217728)
                .put("restartPolicy", "on-failure")
                .put("network", "bridge");
        s.putObject("healthCheck").put("path", "/health");
        ServiceSpec spec = ServiceSpec.parseAll(body(s)).get("0b4f6f5e-1c1d-4c51-9e0e-1e1e1e1e1e1e");
        assertEquals(List.of("/bin/httpd", "-p", "127.0.0.1:${PORT}"), spec.command());
        assertEquals(new ServiceSpec.HealthCheck("/health", 5, 2, 3, 2), spec.healthCheck());
        assertEquals(0.5, spec.cpus());
        assertEquals(8080, spec.containerPort(20001), "bridge: the container port");
    }

    @Test
    void rejectsWhatCouldEscape() {
        assertTrue(error(minimal().put("serviceName", "Shop; rm -rf /")).startsWith("services[0].serviceName"));
        assertTrue(error(minimal().put("image", "../../etc")).startsWith("services[0].image"));
        assertTrue(error(minimal().put("image", "demo latest")).startsWith("services[0].image"));
        ObjectNode env = minimal();
        env.putObject("env").put("BAD-KEY", "x");
        assertTrue(error(env).startsWith("services[0].env.BAD-KEY"));
        ObjectNode hc = minimal();
        hc.putObject("healthCheck").put("path", "health\r\nX: y");
        assertTrue(error(hc).startsWith("services[0].healthCheck.path"));
        assertTrue(error(minimal().put("replicas", 101)).startsWith("services[0].replicas"));
        assertTrue(error(minimal().put("restartPolicy", "sometimes")).startsWith("services[0].restartPolicy"));
        assertTrue(error(minimal().put("network", "none")).startsWith("services[0].network"));
        assertTrue(error(minimal().put("memoryBytes", 1000)).startsWith("services[0].memoryBytes"));
        ObjectNode nul = minimal();
        nul.putArray("command").add("a\u0000b");
        assertTrue(error(nul).startsWith("services[0].command"));
        assertThrows(IllegalArgumentException.class, () -> ServiceSpec.parseAll(body(minimal(), minimal())));
    }

    @Test
    void aStringCommandIsSplitWithoutAShell() {
        ServiceSpec spec = ServiceSpec.parseAll(body(minimal().put("command", " /app/run  --fast ")))
                .values()
                .iterator()
                .next();
        assertEquals(List.of("/app/run", "--fast"), spec.command());
    }

    @Test
    void hashChangesWithWhatMakesAReplicaOnly() {
        String base =
                ServiceSpec.parseAll(body(minimal())).values().iterator().next().specHash();
        assertEquals(16, base.length());
        assertEquals(
                base,
                hash(minimal().put("replicas", 5).put("serviceRevision", 9)),
                "replicas and revision do not replace");
        ObjectNode hc = minimal();
        hc.putObject("healthCheck").put("path", "/ready");
        assertEquals(base, hash(hc), "the health check does not replace");
        assertNotEquals(base, hash(minimal().put("image", "fleetgate/demo:v2")));
        ObjectNode env = minimal();
        env.putObject("env").put("A", "1");
        assertNotEquals(base, hash(env));
        assertNotEquals(base, hash(minimal().put("cpus", 1)));
    }

    private static String hash(ObjectNode s) {
        return ServiceSpec.parseAll(body(s)).values().iterator().next().specHash();
    }
}
