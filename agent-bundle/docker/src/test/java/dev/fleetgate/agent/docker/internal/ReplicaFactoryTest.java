package dev.fleetgate.agent.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ReplicaFactoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ReplicaFactory factory = new ReplicaFactory("agent-1", "127.0.0.1");

    private static ServiceSpec spec(String network) {
        ObjectNode s = JSON.createObjectNode();
        s.put("serviceId", "svc-1")
                .put("serviceName", "shop")
                .put("image", "fleetgate/demo:latest")
                .put("port", 8080)
                .put("network", network)
                .put("cpus", 0.5)
                .put("memoryBytes", 134217728);
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
        assertEquals(
                List.of("GREETING=hi", "PORT=20005", "FLEETGATE_SERVICE=shop", "FLEETGATE_REPLICA=2"),
                strings(body.get("Env")));
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
        assertEquals(
                "",
                host.get("RestartPolicy").get("Name").asText(),
                "no restart policy: the agent replaces dead replicas");
        assertFalse(host.has("PortBindings"));
    }

    @Test
    void everyReplicaDropsAllCapabilitiesAndGetsNoNewPrivileges() {
        JsonNode host = factory.body(spec("host"), 0, 20005).get("HostConfig");
        assertEquals(List.of("ALL"), strings(host.get("CapDrop")));
        assertFalse(host.has("CapAdd"));
        assertEquals(List.of("no-new-privileges"), strings(host.get("SecurityOpt")));
        assertEquals(ServiceSpec.DEFAULT_PIDS_LIMIT, host.get("PidsLimit").asInt());
        assertFalse(host.has("ReadonlyRootfs"));
        assertFalse(factory.body(spec("host"), 0, 20005).has("User"), "the image's user unless the spec names one");
    }

    @Test
    void userReadOnlyRootAndAllowedCapabilitiesAreHonoured() {
        ObjectNode s = JSON.createObjectNode();
        s.put("serviceId", "svc-1")
                .put("serviceName", "shop")
                .put("image", "fleetgate/demo:latest")
                .put("user", "1000:1000")
                .put("readOnlyRootFilesystem", true)
                .put("pidsLimit", 100);
        s.putArray("capAdd").add("SETUID").add("NET_BIND_SERVICE");
        ServiceSpec spec = ServiceSpec.parse(s, "s");
        ObjectNode body = factory.body(spec, 0, 20005);
        assertEquals("1000:1000", body.get("User").asText());
        JsonNode host = body.get("HostConfig");
        assertEquals(List.of("NET_BIND_SERVICE", "SETUID"), strings(host.get("CapAdd")));
        assertTrue(host.get("ReadonlyRootfs").asBoolean());
        assertTrue(host.get("Tmpfs").has("/tmp"));
        assertEquals(100, host.get("PidsLimit").asInt());
        assertTrue(!spec.specHash().equals(spec("host").specHash()));
    }

    @Test
    void capabilitiesOutsideTheAllowlistAndOddUsersAreRefused() {
        for (String cap : List.of("SYS_ADMIN", "NET_ADMIN", "ALL", "net_bind_service")) {
            ObjectNode s = JSON.createObjectNode();
            s.put("serviceId", "svc-1").put("serviceName", "shop").put("image", "fleetgate/demo:latest");
            s.putArray("capAdd").add(cap);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> ServiceSpec.parse(s, "s"));
            assertTrue(e.getMessage().startsWith("s.capAdd:"), e.getMessage());
        }
        for (String user : List.of("", "root;x", "1000:1000:1", "a b")) {
            ObjectNode s = JSON.createObjectNode();
            s.put("serviceId", "svc-1")
                    .put("serviceName", "shop")
                    .put("image", "fleetgate/demo:latest")
                    .put("user", user);
            org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> ServiceSpec.parse(s, "s"));
        }
    }

    @Test
    void bridgePublishesTheContainerPortOnTheBindAddress() {
        ObjectNode body = factory.body(spec("bridge"), 0, 20006);
        assertEquals("127.0.0.1:8080", strings(body.get("Cmd")).get(3));
        assertTrue(strings(body.get("Env")).contains("PORT=8080"));
        assertTrue(body.get("ExposedPorts").has("8080/tcp"));
        JsonNode binding =
                body.get("HostConfig").get("PortBindings").get("8080/tcp").get(0);
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
