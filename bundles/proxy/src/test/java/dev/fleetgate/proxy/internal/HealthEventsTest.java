package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import dev.fleetgate.api.alerts.AlertTopics;

/** The component posts what {@link HealthWatch} finds through EventAdmin, once per transition. */
class HealthEventsTest {

    @Test
    void postsTransitionsThroughEventAdmin() {
        UUID id = UUID.fromString("5f0c7c52-0000-4000-8000-000000000002");
        StoredService s = new StoredService(
                id,
                1,
                new ServiceConfig(
                        "shop",
                        List.of("shop.test"),
                        List.of(Bodies.AGENT),
                        new ServiceConfig.Upstream(
                                List.of(new ServiceConfig.Target("10.0.0.5", 8080, 1, null, null)),
                                "round_robin",
                                32,
                                null),
                        ServiceConfig.Timeouts.DEFAULT,
                        "10m",
                        null,
                        null,
                        false,
                        null,
                        false),
                Instant.EPOCH,
                Instant.EPOCH);
        ServiceStore store = mock(ServiceStore.class);
        when(store.list()).thenReturn(List.of(s));
        TargetHealth health = new TargetHealth();
        List<Event> posted = new CopyOnWriteArrayList<>();
        EventAdmin ea = mock(EventAdmin.class);
        org.mockito.Mockito.doAnswer(inv -> posted.add(inv.getArgument(0)))
                .when(ea)
                .postEvent(org.mockito.ArgumentMatchers.any());
        HealthEvents events = new HealthEvents(store, health, new ContainerReports());
        try {
            events.check();
            assertEquals(0, posted.size(), "no EventAdmin yet, nothing reported");
            events.eventAdmin = ea;
            health.report(
                    Bodies.AGENT,
                    Bodies.json("{'t':[{'serviceId':'" + id + "','host':'10.0.0.5','port':8080," + "'healthy':false}]}")
                            .get("t"));
            events.check();
            events.check();
            assertEquals(
                    List.of(AlertTopics.FIRING, AlertTopics.FIRING),
                    posted.stream().map(Event::getTopic).toList());
            assertEquals(
                    List.of("service.down", "service.target.down"),
                    posted.stream()
                            .map(e -> (String) e.getProperty("kind"))
                            .sorted()
                            .toList());

            when(store.list()).thenReturn(List.of());
            events.check();
            events.check();
            assertEquals(4, posted.size(), "the deleted service clears both, once: " + posted);
            assertEquals(
                    List.of(AlertTopics.CLEARED, AlertTopics.CLEARED),
                    posted.subList(2, 4).stream().map(Event::getTopic).toList());
        } finally {
            events.close();
        }
    }
}
