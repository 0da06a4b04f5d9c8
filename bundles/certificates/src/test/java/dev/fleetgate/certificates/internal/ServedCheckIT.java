package dev.fleetgate.certificates.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.TaskService;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.proxy.ServiceDirectory;

/**
 * The served check asks the agents the service is placed on and every online edge agent (an edge serves every
 * placed service with its TLS); a certificate counts as served only when all present its serial.
 */
class ServedCheckIT {
    private static TestDatabase db;
    private static CertificateStore store;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        store = Fakes.store(db);
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static AgentInfo agent(String id, AgentInfo.Role role, AgentInfo.Status status) {
        return new AgentInfo(id, id, id + ".host", role, status, Instant.now(), "0.1.0", "127.0.0.1");
    }

    /** Answers {@code tls.served} with the serial each agent presents. */
    static final class Tasks implements TaskService {
        final Map<String, String> serials = new ConcurrentHashMap<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        private final Map<String, TaskView> done = new ConcurrentHashMap<>();

        @Override
        public TaskView submit(String agentId, String type, JsonNode payload, Duration ttl) {
            asked.add(agentId);
            Instant now = Instant.now();
            TaskView t = new TaskView(
                    UUID.randomUUID().toString(),
                    agentId,
                    type,
                    payload,
                    TaskStatus.SUCCEEDED,
                    JsonNodeFactory.instance.objectNode().put("serial", serials.getOrDefault(agentId, "none")),
                    null,
                    1,
                    now,
                    now,
                    now,
                    now.plus(ttl));
            done.put(t.id(), t);
            return t;
        }

        @Override
        public Optional<TaskView> get(String taskId) {
            return Optional.ofNullable(done.get(taskId));
        }

        @Override
        public CompletionStage<TaskView> completion(String taskId, Duration timeout) {
            return CompletableFuture.completedFuture(done.get(taskId));
        }

        @Override
        public boolean discard(String taskId) {
            return done.remove(taskId) != null;
        }
    }

    @Test
    void edgeAgentsAreCheckedBesideTheServicesOwnAgents() throws Exception {
        List<AgentInfo> agents = List.of(
                agent("host-1", AgentInfo.Role.HOST, AgentInfo.Status.ONLINE),
                agent("host-2", AgentInfo.Role.HOST, AgentInfo.Status.ONLINE),
                agent("edge-1", AgentInfo.Role.EDGE, AgentInfo.Status.ONLINE),
                agent("edge-2", AgentInfo.Role.EDGE, AgentInfo.Status.OFFLINE));
        AgentDirectory directory = new AgentDirectory() {
            @Override
            public List<AgentInfo> list() {
                return agents;
            }

            @Override
            public Optional<AgentInfo> get(String agentId) {
                return agents.stream().filter(a -> a.id().equals(agentId)).findFirst();
            }
        };
        DesiredStateService applied = new DesiredStateService() {
            @Override
            public void changed(String section) {}

            @Override
            public void changed(String section, String agentId) {}

            @Override
            public Map<String, Long> recompute(String section) {
                return Map.of();
            }

            @Override
            public Map<String, SectionState> state(String agentId) {
                return Map.of("proxy", new DesiredStateService.SectionState(3, 3, 0, null));
            }
        };
        Fakes.Services services = new Fakes.Services();
        ServiceDirectory.ServiceInfo plain = services.add("edge-served", "edge.certs.test");
        ServiceDirectory.ServiceInfo svc = new ServiceDirectory.ServiceInfo(
                plain.id(), plain.name(), 1, plain.domains(), List.of("host-1"), List.of(), false, 0);
        services.byId.put(svc.id(), svc);
        StoredCertificate created = store.createAcme(UUID.fromString(svc.id()), List.of("edge.certs.test"));
        Instant now = Instant.now();
        store.issued(
                created.id(),
                "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n",
                "sealed",
                "Pebble",
                "1234",
                now,
                now.plus(Duration.ofDays(90)),
                now.plus(Duration.ofDays(60)),
                false);
        Tasks tasks = new Tasks();
        List<String> results = new ArrayList<>();
        ServedCheck check = new ServedCheck(
                store, services, directory, applied, tasks, (c, error) -> results.add(String.valueOf(error)));

        assertEquals(List.of("host-1", "edge-1", "edge-2"), check.servers(svc), "placed agents, then edges");
        assertEquals(
                List.of(),
                check.servers(new ServiceDirectory.ServiceInfo(
                        svc.id(), svc.name(), 1, svc.domains(), List.of(), List.of(), false, 0)),
                "a service placed nowhere is served by no edge either");

        // the edge still presents another certificate: not served (past the grace of the rollout)
        tasks.serials.put("host-1", "1234");
        tasks.serials.put("edge-1", "999");
        StoredCertificate c = store.get(created.id()).orElseThrow();
        check.check(c, c.updatedAt().plus(Duration.ofMinutes(5)));
        assertEquals(List.of("host-1", "edge-1"), tasks.asked, "online agents only: the offline edge is not asked");
        assertEquals(1, results.size());
        assertTrue(results.get(0).contains("agent edge-1 serves serial 999"), results.get(0));
        assertEquals(
                "agent edge-1 serves serial 999 for edge.certs.test, expected 1234",
                store.get(created.id()).orElseThrow().servedError());

        // the edge serves it too now: confirmed
        tasks.serials.put("edge-1", "1234");
        check.check(c, c.updatedAt().plus(Duration.ofMinutes(6)));
        assertEquals("null", results.get(1));
        StoredCertificate served = store.get(created.id()).orElseThrow();
        assertEquals(served.version(), served.servedVersion());
        assertNull(served.servedError());
    }
}
