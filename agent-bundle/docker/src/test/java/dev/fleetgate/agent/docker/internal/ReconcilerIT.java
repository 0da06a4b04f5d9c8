package dev.fleetgate.agent.docker.internal;

import static dev.fleetgate.agent.docker.internal.DockerFixture.IMAGE;
import static dev.fleetgate.agent.docker.internal.DockerFixture.await;
import static dev.fleetgate.agent.docker.internal.DockerFixture.section;
import static dev.fleetgate.agent.docker.internal.DockerFixture.service;
import static dev.fleetgate.agent.docker.internal.DockerFixture.serviceStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;

/** The reconciler against the real Docker engine and the demo image (ports 19700–19799). */
class ReconcilerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private DockerFixture docker;
    private final String serviceId = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() throws Exception {
        docker = new DockerFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        docker.close();
    }

    private boolean settled(TestAgent agent, int replicas) {
        JsonNode s = serviceStatus(agent.reconciler, serviceId);
        try {
            return "OK".equals(s.path("state").asText())
                    && agent.endpointsOf(serviceId).size() == replicas
                    && docker.managed().size() == replicas;
        } catch (DockerException e) {
            return false;
        }
    }

    @Test
    void scalesOneThreeOneWithOnlyReadyReplicasPublishedAndDrainBeforeStop() throws Exception {
        try (TestAgent agent = new TestAgent(docker, docker.settings(19700, 19719))) {
            agent.reconciler.apply(section(service(serviceId, "shop", IMAGE, 1)));
            await("1 replica", WAIT, () -> settled(agent, 1));
            String first = agent.endpointsOf(serviceId).get(0).id();

            agent.reconciler.apply(section(service(serviceId, "shop", IMAGE, 3)));
            await("3 replicas", WAIT, () -> settled(agent, 3));
            List<Endpoint> three = agent.endpointsOf(serviceId);
            assertEquals(3, three.stream().map(Endpoint::port).distinct().count(), "distinct host ports");
            assertTrue(three.stream().allMatch(e -> e.port() >= 19700 && e.port() <= 19719), "ports from the range");
            Set<Integer> slots = docker.managed().stream().map(Reconciler::slot).collect(Collectors.toSet());
            assertEquals(Set.of(0, 1, 2), slots);

            agent.reconciler.apply(section(service(serviceId, "shop", IMAGE, 1)));
            await("back to 1 replica", WAIT, () -> settled(agent, 1));
            assertEquals(first, agent.endpointsOf(serviceId).get(0).id(), "slot 0 kept");

            assertEquals(List.of(), agent.addedNotAnswering(), "every endpoint answered when published");
            long removedAnswering = agent.changes.stream()
                    .mapToLong(c -> c.removedAnswering().size())
                    .sum();
            long removedDead = agent.changes.stream()
                    .mapToLong(c -> c.removedNotAnswering().size())
                    .sum();
            assertEquals(2, removedAnswering, "both leaving replicas still served when they left the endpoints");
            assertEquals(0, removedDead);
            JsonNode s = serviceStatus(agent.reconciler, serviceId);
            assertEquals(1, s.path("desired").asInt());
            assertEquals(1, s.path("ready").asInt());
            assertTrue(agent.syncRequests.get() > 0, "status changes ask for a sync");
        }
    }

    @Test
    void replicasRunWithoutCapabilitiesNoNewPrivilegesAndTheSpecsUserAndReadOnlyRoot() throws Exception {
        try (TestAgent agent = new TestAgent(docker, docker.settings(19680, 19689))) {
            agent.reconciler.apply(section(service(serviceId, "hard", IMAGE, 1)));
            await(
                    "1 replica with the defaults (the demo app runs without any capability)",
                    WAIT,
                    () -> settled(agent, 1));
            JsonNode defaults =
                    docker.api.get("/containers/" + docker.managed().get(0).id() + "/json");
            JsonNode host = defaults.path("HostConfig");
            assertEquals("[\"ALL\"]", host.path("CapDrop").toString(), host.toString());
            assertTrue(host.path("CapAdd").isNull() || host.path("CapAdd").isEmpty(), host.toString());
            assertEquals("[\"no-new-privileges\"]", host.path("SecurityOpt").toString(), host.toString());
            assertEquals(512, host.path("PidsLimit").asInt(), host.toString());
            assertFalse(host.path("ReadonlyRootfs").asBoolean());
            assertEquals("", defaults.path("Config").path("User").asText());
            JsonNode engine = agent.reconciler.status().path("engine");
            assertTrue(engine.path("bridge").isBoolean(), engine.toString());
            assertEquals(
                    docker.engine.hasBridge(), engine.path("bridge").asBoolean(), "this engine runs with bridge none");

            ObjectNode hardened = service(serviceId, "hard", IMAGE, 1);
            hardened.put("user", "1000:1000")
                    .put("readOnlyRootFilesystem", true)
                    .put("pidsLimit", 64);
            hardened.putArray("capAdd").add("NET_BIND_SERVICE");
            agent.reconciler.apply(section(hardened));
            await("the replica replaced by one with the user and a read-only root", WAIT, () -> {
                try {
                    return settled(agent, 1)
                            && "1000:1000"
                                    .equals(docker.api
                                            .get("/containers/"
                                                    + docker.managed().get(0).id() + "/json")
                                            .path("Config")
                                            .path("User")
                                            .asText());
                } catch (DockerException e) {
                    return false;
                }
            });
            JsonNode c = docker.api.get("/containers/" + docker.managed().get(0).id() + "/json");
            JsonNode h = c.path("HostConfig");
            assertTrue(h.path("ReadonlyRootfs").asBoolean(), h.toString());
            assertEquals("[\"NET_BIND_SERVICE\"]", h.path("CapAdd").toString());
            assertEquals("[\"ALL\"]", h.path("CapDrop").toString());
            assertEquals(64, h.path("PidsLimit").asInt());
            assertTrue(h.path("Tmpfs").has("/tmp"), h.toString());
            assertTrue(
                    c.path("State").path("Running").asBoolean(), "the demo app runs as 1000:1000 on a read-only root");
        }
    }

    @Test
    void replacesAReplicaKilledBehindItsBack() throws Exception {
        try (TestAgent agent = new TestAgent(docker, docker.settings(19720, 19739))) {
            agent.reconciler.apply(section(service(serviceId, "kill", IMAGE, 2)));
            await("2 replicas", WAIT, () -> settled(agent, 2));
            ContainerInfo victim = docker.managed().stream()
                    .filter(c -> Reconciler.slot(c) == 1)
                    .findFirst()
                    .orElseThrow();

            docker.kill(victim.id());
            await(
                    "replacement of slot 1",
                    WAIT,
                    () -> settled(agent, 2) && !agent.endpointIds(serviceId).contains(victim.id()));
            List<ContainerInfo> now = docker.managed();
            assertEquals(Set.of(0, 1), now.stream().map(Reconciler::slot).collect(Collectors.toSet()));
            assertFalse(now.stream().anyMatch(c -> c.id().equals(victim.id())), "the dead one is removed");
            assertEquals(List.of(), agent.addedNotAnswering());
        }
    }

    @Test
    void aNewInstanceAdoptsRunningReplicasWithoutDuplicates() throws Exception {
        Set<String> before;
        try (TestAgent agent = new TestAgent(docker, docker.settings(19740, 19759))) {
            agent.reconciler.apply(section(service(serviceId, "adopt", IMAGE, 2)));
            await("2 replicas", WAIT, () -> settled(agent, 2));
            before = agent.endpointIds(serviceId);
        }
        try (TestAgent restarted = new TestAgent(docker, docker.settings(19740, 19759))) {
            await("adopted replicas published before any section arrives", WAIT, () -> restarted
                    .endpointIds(serviceId)
                    .equals(before));
            restarted.reconciler.apply(section(service(serviceId, "adopt", IMAGE, 2)));
            long passes = restarted.reconciler.passes();
            await("a few passes", WAIT, () -> restarted.reconciler.passes() >= passes + 3 && settled(restarted, 2));
            Set<String> ids = new HashSet<>();
            docker.managed().forEach(c -> ids.add(c.id()));
            assertEquals(before, ids, "same containers, none added or replaced");
        }
    }

    @Test
    void replacesReplicasRollingWhenTheSpecChanges() throws Exception {
        try (TestAgent agent = new TestAgent(docker, docker.settings(19760, 19779))) {
            agent.reconciler.apply(section(service(serviceId, "roll", IMAGE, 2)));
            await("2 replicas", WAIT, () -> settled(agent, 2));
            Set<String> old = agent.endpointIds(serviceId);

            var changed = service(serviceId, "roll", IMAGE, 2);
            changed.putObject("env").put("DELAY_MS", "2");
            agent.reconciler.apply(section(changed));
            await(
                    "2 new replicas",
                    WAIT,
                    () -> settled(agent, 2)
                            && agent.endpointIds(serviceId).stream().noneMatch(old::contains));
            synchronized (agent.changes) {
                for (TestAgent.Change c : agent.changes) {
                    assertFalse(c.endpoints().getOrDefault(serviceId, List.of()).isEmpty(), "never without a replica");
                }
            }
            String hash = docker.managed().get(0).label(Labels.SPEC);
            assertTrue(docker.managed().stream().allMatch(c -> hash.equals(c.label(Labels.SPEC))));
        }
    }

    @Test
    void missingImageFailsTheServiceWithoutSpinning() throws Exception {
        try (TestAgent agent = new TestAgent(docker, docker.settings(19780, 19789))) {
            agent.reconciler.apply(section(service(serviceId, "nope", "fleetgate/demo:nope", 1)));
            await("FAILED", WAIT, () -> "FAILED"
                    .equals(serviceStatus(agent.reconciler, serviceId)
                            .path("state")
                            .asText()));
            assertEquals(
                    "image fleetgate/demo:nope not found on this host",
                    serviceStatus(agent.reconciler, serviceId).path("error").asText());
            long passes = agent.reconciler.passes();
            int attempts = agent.reconciler.failureAttempts(serviceId);
            await("6 more passes", WAIT, () -> agent.reconciler.passes() >= passes + 6);
            int more = agent.reconciler.failureAttempts(serviceId) - attempts;
            assertTrue(more <= 3, "retried with a backoff, not at every pass: " + more + " attempts in 6 passes");
            assertEquals(List.of(), docker.managed());
            assertEquals(
                    "FAILED",
                    serviceStatus(agent.reconciler, serviceId).path("state").asText());
        }
    }

    @Test
    void crashingReplicaIsRestartedWithABackoffAndReported() throws Exception {
        try (TestAgent agent = new TestAgent(docker, docker.settings(19790, 19799))) {
            var crashing = service(serviceId, "crash", IMAGE, 1);
            crashing.putArray("command").add("/bin/sh").add("-c").add("exit 3");
            agent.reconciler.apply(section(crashing));
            await("FAILED with the exit code", WAIT, () -> serviceStatus(agent.reconciler, serviceId)
                    .path("error")
                    .asText("")
                    .contains("exited with code 3"));
            assertEquals(
                    "FAILED",
                    serviceStatus(agent.reconciler, serviceId).path("state").asText());
            assertTrue(agent.endpointsOf(serviceId).isEmpty());
            assertNotEquals(0, agent.reconciler.passes());
        }
    }
}
