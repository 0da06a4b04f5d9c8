package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.persistence.testing.MutableClock;

/** ONLINE/OFFLINE across several cores on one database and across a core restart, without row writes per sync. */
class LivenessIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private static final JsonNode REPORT = Json.parse("{\"applied\":{\"bundles\":{\"revision\":1}}}");

    @Test
    void anotherCoreSeesAnAgentOnlineThroughTheHandoverAndOfflineAfterTheThreshold() throws Exception {
        try (Core one = new Core(db.dataSource(), Settings.defaults(), clock);
                Core two = new Core(db.dataSource(), Settings.defaults(), clock)) {
            Enrolment.Enrolled e = one.enroll("live-" + System.nanoTime());
            one.idle();
            await("core two knows the agent", () -> two.registry.exists(e.agentId()));
            one.sync.syncNow(e.agentId(), e.apiKey(), REPORT);
            one.registry.flushLastSeen();
            clock.advance(Settings.defaults().offlineAfter().multipliedBy(2)); // the stored time is old now
            one.sync.syncNow(e.agentId(), e.apiKey(), REPORT); // comes ONLINE again on core one only
            Instant synced = clock.instant();
            assertEquals(AgentInfo.Status.OFFLINE, status(two, e.agentId()), "core two has not heard yet");

            one.registry.handover(true);
            await("core two sees the agent ONLINE", () -> status(two, e.agentId()) == AgentInfo.Status.ONLINE);
            assertEquals(synced, two.registry.lastSeen(e.agentId()));

            clock.advance(Settings.defaults().offlineAfter());
            assertEquals(AgentInfo.Status.OFFLINE, status(one, e.agentId()));
            assertEquals(AgentInfo.Status.OFFLINE, status(two, e.agentId()));
        }
    }

    @Test
    void aCoreThatStartsBesideARunningOneAsksForEveryOnlineAgent() throws Exception {
        try (Core one = new Core(db.dataSource(), Settings.defaults(), clock)) {
            Enrolment.Enrolled e = one.enroll("hello-" + System.nanoTime());
            one.idle();
            one.sync.syncNow(e.agentId(), e.apiKey(), REPORT);
            one.registry.flushLastSeen();
            clock.advance(Settings.defaults().offlineAfter().multipliedBy(2));
            one.sync.syncNow(e.agentId(), e.apiKey(), REPORT);
            one.registry.handover(true); // nobody listens yet: this one is lost for the core below
            Instant synced = clock.instant();

            try (Core two = new Core(db.dataSource(), Settings.defaults(), clock)) { // says hello when it starts
                assertEquals(AgentInfo.Status.OFFLINE, status(two, e.agentId()));
                await("core one got the hello", () -> one.registry.handover(false) > 0);
                await("core two sees the agent ONLINE", () -> status(two, e.agentId()) == AgentInfo.Status.ONLINE);
                assertEquals(synced, two.registry.lastSeen(e.agentId()));
            }
        }
    }

    @Test
    void aRestartedCoreKeepsWhatItStoredAtShutdown() throws Exception {
        Enrolment.Enrolled e;
        Instant synced;
        try (Core one = new Core(db.dataSource(), Settings.defaults(), clock)) {
            e = one.enroll("restart-" + System.nanoTime());
            one.idle();
            one.sync.syncNow(e.agentId(), e.apiKey(), REPORT);
            one.registry.flushLastSeen();
            clock.advance(Duration.ofSeconds(25));
            one.sync.syncNow(e.agentId(), e.apiKey(), REPORT); // in memory only
            synced = clock.instant();
        } // shutdown stores it
        try (Core again = new Core(db.dataSource(), Settings.defaults(), clock)) {
            assertEquals(AgentInfo.Status.ONLINE, status(again, e.agentId()));
            assertEquals(synced, again.registry.lastSeen(e.agentId()));
            clock.advance(Settings.defaults().offlineAfter());
            assertEquals(AgentInfo.Status.OFFLINE, status(again, e.agentId()));
        }
    }

    private static AgentInfo.Status status(Core core, String agentId) {
        return core.registry.get(agentId).orElseThrow().status();
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
