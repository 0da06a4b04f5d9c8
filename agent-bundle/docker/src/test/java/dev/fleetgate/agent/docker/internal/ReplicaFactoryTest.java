package dev.fleetgate.agent.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaFactoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ReplicaFactory factory = new ReplicaFactory("agent-1", "127.0.0.1");

    private static ServiceSpec spec(String network) {
        ObjectNode s = JSON.createObjectNode();
        s.put("serviceId", "svc-1").put("serviceName", "shop").put("image", "fleetgate/demo:latest").put("port", 8080)
                .put("network", network).put("cpus", 0.5).put("memoryBytes", 134217728);
        s.putArray("command").add("/bin/httpd").add("-f").add("-p").add("127.0.0.1:${PORT}");
        s.putObject("env").put("GREETING", "hi").put("PORT", "1");
        return ServiceSpec.parse(s, "s");
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    @Test
    void hostNetworkGetsThePortThroughEnvAndArguments() {
        ServiceSpec spec = spec("host");
        ObjectNode body = factory.body(spec, 2, 20005);
        assertEquals(List.of("/bin/httpd", "-f", "-p", "127.0.0.1:20005"), strings(body.get("Cmd")));
        assertEquals(List.of("GREETING=hi", "PORT=20005", "FLEETGATE_SERVICE=shop", "FLEETGATE_REPLICA=2"), strings(body.get("Env")));
        JsonNode labels = body.get("Labels");
        assertEquals("svc-1", labels.get(Labels.SERVICE).asText());
        assertEquals("2", labels.get(Labels.REPLICA).asText());
        assertEquals("20005", labels.get(Labels.PORT).asText());
        assertEquals(spec.specHash(), labels.get(Labels.SPEC).asText());
        assertEquals("true", labels.get(Labels.MANAGED).asText());
        assertEquals("agent-1", labels.get(Labels.AGENT).asText());
        JsonNode host = body.get("HostConfig");
        assertEquals("host", host.get("NetworkMode").asText());
        assertTrue(host.get("Init").asBoolean());
        assertEquals(500_000_000L, host.get("NanoCpus").asLong());
        assertEquals(134217728L, host.get("Memory").asLong());
        assertEquals("", host.get("RestartPolicy").get("Name").asText(), "no restart policy: the agent replaces dead replicas");
        assertFalse(host.has("PortBindings"));
    }

    @Test
    void bridgePublishesTheContainerPortOnTheBindAddress() {
        ObjectNode body = factory.body(spec("bridge"), 0, 20006);
        assertEquals("127.0.0.1:8080", strings(body.get("Cmd")).get(3));
        assertTrue(strings(body.get("Env")).contains("PORT=8080"));
        assertTrue(body.get("ExposedPorts").has("8080/tcp"));
        JsonNode binding = body.get("HostConfig").get("PortBindings").get("8080/tcp").get(0);
        assertEquals("127.0.0.1", binding.get("HostIp").asText());
        assertEquals("20006", binding.get("HostPort").asText());
        assertEquals("bridge", body.get("HostConfig").get("NetworkMode").asText());
        assertEquals("20006", body.get("Labels").get(Labels.PORT).asText());
    }

    @Test
    void names() {
        String name = ReplicaFactory.name(spec("host"), 3);
        assertTrue(name.matches("fg-shop-3-[0-9a-f]{6}"), name);
    }
}
