package dev.fleetgate.agent.metrics.internal.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.metrics.internal.Captured;
import dev.fleetgate.agent.metrics.internal.Fixtures;

/** The container collector over a captured container list and cgroup files, Docker answered by a fake. */
class ContainerCollectorTest {

    private static final String ID = CgroupsTest.V1_ID;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> calls = new ArrayList<>();

    @TempDir
    Path root;

    private Docker docker(JsonNode list) {
        return new Docker() {
            @Override
            public JsonNode get(String path) throws IOException {
                calls.add(path);
                if (path.equals("/containers/json")) {
                    return list;
                }
                if (path.equals("/containers/" + ID + "/json")) {
                    return mapper.readTree(Fixtures.read("inspect.json"));
                }
                throw new IOException("404 " + path);
            }

            @Override
            public String describe() {
                return "fake";
            }
        };
    }

    @Test
    void cpuMemoryPidsAndLabelsFromCgroupsOfListedContainers() throws Exception {
        JsonNode list = mapper.readTree(Fixtures.read("containers.json"));
        Fixtures.copy("t0", root);
        ContainerCollector collector =
                new ContainerCollector(docker(list), new Cgroups(root.resolve("sys/fs/cgroup")), root);
        Captured first = new Captured();
        collector.collect(first, 1_000_000_000L);
        Map<String, String> labels = Map.of("container", "fgm-capture", "service", "svc-123");
        assertTrue(first.named("container_cpu_usage_percent").isEmpty(), "no rate before a second round");
        assertTrue(first.named("container_restarts_total").isEmpty(), "inspected at the end of the first round");

        Fixtures.copy("t1", root);
        Captured out = new Captured();
        collector.collect(out, 6_000_000_000L);
        assertEquals(100.0 * (11909251531L - 8872481489L) / 5e9, out.get("container_cpu_usage_percent", labels), 1e-9);
        assertEquals(659456, out.get("container_memory_used_bytes", labels), 0.0);
        assertEquals(2, out.get("container_pids", labels), 0.0);
        assertEquals(0, out.get("container_restarts_total", labels), 0.0, "RestartCount from inspect");
        assertTrue(out.value("container_memory_limit_bytes", labels).isEmpty(), "no limit set");
        assertTrue(
                out.named("container_network_receive_bytes_per_second").isEmpty(), "host network: the host's counters");
        assertEquals(1, collector.containers());
        assertNull(collector.lastError());
        assertEquals(2, calls.stream().filter(c -> c.equals("/containers/json")).count(), "one list call per round");
    }

    @Test
    void networkFromTheInitProcessWhenTheContainerHasItsOwnNamespace() throws Exception {
        JsonNode list = mapper.readTree(Fixtures.read("containers.json"));
        ((ObjectNode) list.get(0).get("HostConfig")).put("NetworkMode", "bridge");
        ((ObjectNode) list.get(0)).putObject("Labels"); // unmanaged: no service label
        Fixtures.copy("t0", root);
        Files.createDirectories(root.resolve("proc/1/ns"));
        Files.createDirectories(root.resolve("proc/8835/ns"));
        Files.createDirectories(root.resolve("proc/8835/net"));
        Files.createSymbolicLink(root.resolve("proc/1/ns/net"), Path.of("net:[4026531840]"));
        Files.createSymbolicLink(root.resolve("proc/8835/ns/net"), Path.of("net:[4026532999]"));
        String header =
                "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed\n";
        Files.writeString(
                root.resolve("proc/8835/net/dev"),
                header
                        + "    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n");
        ContainerCollector collector =
                new ContainerCollector(docker(list), new Cgroups(root.resolve("sys/fs/cgroup")), root);
        collector.collect(new Captured(), 1_000_000_000L);
        Files.writeString(
                root.resolve("proc/8835/net/dev"),
                header
                        + "    lo: 900 9 0 0 0 0 0 0 900 9 0 0 0 0 0 0\n  eth0: 6000 60 0 0 0 0 0 0 4000 40 0 0 0 0 0 0\n");
        Captured out = new Captured();
        collector.collect(out, 3_000_000_000L);
        Map<String, String> labels = Map.of("container", "fgm-capture");
        assertEquals(
                2500, out.get("container_network_receive_bytes_per_second", labels), 1e-9, "eth0 only, per second");
        assertEquals(1000, out.get("container_network_transmit_bytes_per_second", labels), 1e-9);
        assertTrue(out.samples.stream().noneMatch(s -> s.labels().containsKey("service")));
    }

    @Test
    void dockerUnreachableIsReportedNotThrown() {
        Docker down = new Docker() {
            @Override
            public JsonNode get(String path) throws IOException {
                throw new IOException("connection refused");
            }

            @Override
            public String describe() {
                return "unix:///nowhere.sock";
            }
        };
        ContainerCollector collector = new ContainerCollector(down, new Cgroups(root), root);
        Captured out = new Captured();
        collector.collect(out, 1L);
        assertTrue(out.samples.isEmpty());
        assertTrue(collector.lastError().contains("unix:///nowhere.sock"), collector.lastError());
    }

    @Test
    void dockerApiParsesPlainAndChunkedAnswers() throws Exception {
        DockerApi api = new DockerApi("unix:///var/run/docker.sock", mapper);
        JsonNode plain =
                api.parse("/x", "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[{\"Id\":\"a\"}]".getBytes());
        assertEquals("a", plain.get(0).get("Id").asText());
        JsonNode chunked = api.parse(
                "/x",
                ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "5\r\n[{\"Id\r\n7\r\n\":\"b\"}]\r\n0\r\n\r\n")
                        .getBytes());
        assertEquals("b", chunked.get(0).get("Id").asText());
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(
                IOException.class,
                () -> api.parse("/x", "HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"no such container\"}".getBytes()));
        assertTrue(e.getMessage().contains("404"));
    }
}
