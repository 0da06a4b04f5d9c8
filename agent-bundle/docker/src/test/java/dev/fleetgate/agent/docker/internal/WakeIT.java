package dev.fleetgate.agent.docker.internal;

import static dev.fleetgate.agent.docker.internal.DockerFixture.IMAGE;
import static dev.fleetgate.agent.docker.internal.DockerFixture.await;
import static dev.fleetgate.agent.docker.internal.DockerFixture.section;
import static dev.fleetgate.agent.docker.internal.DockerFixture.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scale to zero on the agent, against the real Docker engine and the demo image (ports 22660–22669): a wake runs one
 * replica of a service whose spec says 0 at once; the core's spec asking for one keeps that same replica; back at 0
 * it stops. Unknown services and services with replicas are not woken.
 */
class WakeIT {
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

    private int managed() {
        try {
            return docker.managed().size();
        } catch (DockerException e) {
            return -1;
        }
    }

    @Test
    void aWakeRunsOneReplicaUntilTheSpecTakesOver() throws Exception {
        try (TestAgent agent = new TestAgent(docker, docker.settings(22660, 22669))) {
            agent.reconciler.apply(section(service(serviceId, "sleepy", IMAGE, 0)));
            agent.reconciler.wake("not-here");
            await(
                    "a pass at 0",
                    WAIT,
                    () -> agent.reconciler.status().path("services").size() == 1);
            assertEquals(0, managed(), "nothing runs at 0 replicas");

            agent.reconciler.wake(serviceId);
            await(
                    "the woken replica ready",
                    WAIT,
                    () -> agent.endpointsOf(serviceId).size() == 1);
            assertEquals(
                    "[\"" + serviceId + "\"]",
                    agent.reconciler.status().path("woken").toString());
            String woken = agent.endpointsOf(serviceId).get(0).id();

            agent.reconciler.apply(section(service(serviceId, "sleepy", IMAGE, 1)));
            await("the core took over", WAIT, () -> !agent.reconciler.status().has("woken"));
            agent.reconciler.wake(serviceId); // at 1 replica: nothing to do
            assertEquals(woken, agent.endpointsOf(serviceId).get(0).id(), "the woken replica is kept");
            assertEquals(1, managed());

            agent.reconciler.apply(section(service(serviceId, "sleepy", IMAGE, 0)));
            await("stopped at 0 again", WAIT, () -> managed() == 0);
            assertFalse(agent.reconciler.status().has("woken"));
        }
    }
}
