package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ContainerSwitchTest {
    private final List<String> destroyed = new CopyOnWriteArrayList<>();
    private final ContainerSwitch<String> containers =
            new ContainerSwitch<>(destroyed::add, Duration.ofSeconds(30), Runnable::run);

    @Test
    void nothingBeforeTheFirstSwap() {
        assertNull(containers.acquire());
    }

    @Test
    void inFlightRequestFinishesOnTheOldContainerWhichIsDestroyedAfter() {
        containers.swap("v1");
        ContainerSwitch.Lease<String> running = containers.acquire();
        containers.swap("v2");

        assertEquals("v1", running.target(), "the running request keeps its container");
        assertTrue(destroyed.isEmpty(), "v1 stays alive while a request runs on it");
        ContainerSwitch.Lease<String> next = containers.acquire();
        assertEquals("v2", next.target(), "new requests go to the new container");

        running.release();
        assertEquals(List.of("v1"), destroyed);
        running.release(); // a second release changes nothing
        next.release();
        assertEquals(List.of("v1"), destroyed, "the current container stays");
    }

    @Test
    void idleOldContainerIsDestroyedAtOnce() {
        containers.swap("v1");
        containers.acquire().release();
        containers.swap("v2");
        assertEquals(List.of("v1"), destroyed);
    }

    @Test
    void drainWaitIsCapped() throws InterruptedException {
        CountDownLatch gone = new CountDownLatch(1);
        ContainerSwitch<String> capped =
                new ContainerSwitch<>(c -> gone.countDown(), Duration.ofMillis(50), Runnable::run);
        capped.swap("v1");
        capped.acquire(); // never released, like a hung long-poll
        capped.swap("v2");
        assertTrue(gone.await(10, TimeUnit.SECONDS), "destroyed after the drain timeout");
    }

    @Test
    void closeDestroysEverything() {
        containers.swap("v1");
        containers.acquire();
        containers.swap("v2");
        containers.close();
        assertEquals(List.of("v1", "v2"), destroyed.stream().sorted().toList());
        assertNull(containers.acquire());
    }
}
