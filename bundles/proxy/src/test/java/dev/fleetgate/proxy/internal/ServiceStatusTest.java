package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.DesiredStateService.SectionState;
import dev.fleetgate.proxy.ProxySpec;

class ServiceStatusTest {
    private final ServiceStore store = mock(ServiceStore.class);
    private final DesiredStateService desired = mock(DesiredStateService.class);
    private final TargetHealth health = new TargetHealth();
    private final ContainerReports reports = new ContainerReports();
    private final ServiceStatus status = new ServiceStatus(store, desired, health, reports);
    private final Map<String, SectionState> states = new HashMap<>();
    private StoredService shop;

    @BeforeEach
    void setUp() {
        ObjectNode b = Bodies.minimal();
        b.putArray("agentIds").add(Bodies.AGENT).add(Bodies.AGENT2);
        shop = SpecBuilderTest.service("shop", 3, b);
        when(store.get(shop.id())).thenReturn(Optional.of(shop));
        when(store.list()).thenReturn(List.of(shop));
        when(desired.recompute(ProxySpec.SECTION)).thenReturn(Map.of(Bodies.AGENT, 7L, Bodies.AGENT2, 7L));
        when(desired.state(anyString())).thenAnswer(inv -> {
            SectionState s = states.get(inv.getArgument(0, String.class));
            return s == null ? Map.of() : Map.of(ProxySpec.SECTION, s);
        });
    }

    @Test
    void appliedPendingFailedFromTheCarryingSectionRevision() {
        states.put(Bodies.AGENT, new SectionState(7, 7, 0, null));
        states.put(Bodies.AGENT2, new SectionState(7, 6, 7, "nginx: [emerg] boom"));
        ServiceStatus.View v = status.status(shop.id());
        assertEquals(3, v.revision());
        assertEquals(
                List.of(
                        new ServiceStatus.AgentState(Bodies.AGENT, 3L, "APPLIED", null),
                        new ServiceStatus.AgentState(Bodies.AGENT2, null, "FAILED", "nginx: [emerg] boom")),
                v.agents());

        states.put(Bodies.AGENT2, new SectionState(8, 6, 7, "nginx: [emerg] boom"));
        states.put(Bodies.AGENT, new SectionState(8, 7, 0, null));
        v = status.status(shop.id());
        assertEquals("FAILED", v.agents().get(1).state());
        assertEquals("APPLIED", v.agents().get(0).state(), "revision 8 is newer, but 7 already carried the service");
        verify(desired, times(1)).recompute(ProxySpec.SECTION);
    }

    @Test
    void eachAgentShowsHowAndWhenItAppliedItsLastChange() {
        states.put(Bodies.AGENT, new SectionState(7, 7, 0, null));
        states.put(Bodies.AGENT2, new SectionState(7, 7, 0, null));
        health.handleEvent(
                new org.osgi.service.event.Event(
                        dev.fleetgate.api.Topics.AGENT_REPORT,
                        Map.of(
                                "agentId",
                                Bodies.AGENT,
                                "status",
                                Bodies.json(
                                        "{'proxy':{'nginx':{'applyMode':'dynamic','appliedAt':'2026-12-04T20:00:00.123Z'},'targets':[]}}"))));
        health.handleEvent(new org.osgi.service.event.Event(
                dev.fleetgate.api.Topics.AGENT_REPORT,
                Map.of(
                        "agentId",
                        Bodies.AGENT2,
                        "status",
                        Bodies.json(
                                "{'proxy':{'nginx':{'applyMode':'<script>','appliedAt':'yesterday'},'targets':[]}}"))));
        ServiceStatus.View v = status.status(shop.id());
        assertEquals("dynamic", v.agents().get(0).applyMode());
        assertEquals("2026-12-04T20:00:00.123Z", v.agents().get(0).appliedAt());
        assertEquals("APPLIED", v.agents().get(0).state());
        assertEquals(null, v.agents().get(1).applyMode(), "a malformed report is not shown");
        health.handleEvent(new org.osgi.service.event.Event(
                dev.fleetgate.api.Topics.AGENT_REPORT,
                Map.of(
                        "agentId",
                        Bodies.AGENT2,
                        "status",
                        Bodies.json("{'proxy':{'nginx':{'applyMode':'reload','appliedAt':'2026-12-04T20:01:00Z'}}}"))));
        assertEquals("reload", status.status(shop.id()).agents().get(1).applyMode());
        assertEquals(
                "2026-12-04T20:01:00Z", status.status(shop.id()).agents().get(1).appliedAt());
    }

    @Test
    void newRevisionIsPendingUntilItsCarrierIsApplied() {
        states.put(Bodies.AGENT, new SectionState(7, 7, 0, null));
        states.put(Bodies.AGENT2, new SectionState(7, 7, 0, null));
        assertEquals("APPLIED", status.status(shop.id()).agents().get(0).state());

        StoredService updated = new StoredService(shop.id(), 4, shop.config(), shop.createdAt(), shop.updatedAt());
        when(store.get(shop.id())).thenReturn(Optional.of(updated));
        when(store.list()).thenReturn(List.of(updated));
        when(desired.recompute(ProxySpec.SECTION)).thenReturn(Map.of(Bodies.AGENT, 9L, Bodies.AGENT2, 9L));
        ServiceStatus.View v = status.status(shop.id());
        assertEquals(
                new ServiceStatus.AgentState(Bodies.AGENT, 3L, "PENDING", null),
                v.agents().get(0),
                "revision 3 is still what runs there");

        states.put(Bodies.AGENT, new SectionState(9, 9, 0, null));
        assertEquals(
                new ServiceStatus.AgentState(Bodies.AGENT, 4L, "APPLIED", null),
                status.status(shop.id()).agents().get(0));
    }

    @Test
    void targetsHealthIsNullUntilReported() throws Exception {
        ServiceStatus.View v = status.status(shop.id());
        assertEquals(List.of(new ServiceStatus.TargetState("127.0.0.1", 9001, null)), v.targets());
        String id = shop.id().toString();
        health.report(
                Bodies.AGENT,
                Json.MAPPER.readTree(
                        ("[{'serviceId':'" + id + "','host':'127.0.0.1','port':9001," + "'healthy':true},{'serviceId':'"
                                        + id + "','host':'127.0.0.1','port':31000,'healthy':false}]")
                                .replace('\'', '"')));
        assertEquals(
                List.of(
                        new ServiceStatus.TargetState("127.0.0.1", 9001, true),
                        new ServiceStatus.TargetState("127.0.0.1", 31000, false)),
                status.status(shop.id()).targets(),
                "replicas the agent runs follow the configured targets");
    }

    @Test
    void healthFollowsTheReportedTargets() throws Exception {
        states.put(Bodies.AGENT, new SectionState(7, 7, 0, null));
        states.put(Bodies.AGENT2, new SectionState(7, 7, 0, null));
        assertEquals("UNKNOWN", status.status(shop.id()).health(), "no agent reported its targets yet");
        String id = shop.id().toString();
        health.report(
                Bodies.AGENT,
                Json.MAPPER.readTree(("[{'serviceId':'" + id + "','host':'127.0.0.1','port':9001,'healthy':false}]")
                        .replace('\'', '"')));
        assertEquals("DOWN", status.status(shop.id()).health(), "its only target is down, though APPLIED");
        health.report(
                Bodies.AGENT,
                Json.MAPPER.readTree(("[{'serviceId':'" + id + "','host':'127.0.0.1','port':9001,'healthy':true}]")
                        .replace('\'', '"')));
        assertEquals("HEALTHY", status.status(shop.id()).health());
    }

    @Test
    void listHealthAsksEachAgentOnce() throws Exception {
        states.put(Bodies.AGENT, new SectionState(7, 7, 0, null));
        states.put(Bodies.AGENT2, new SectionState(7, 7, 0, null));
        ObjectNode b = Bodies.minimal();
        b.putArray("agentIds").add(Bodies.AGENT).add(Bodies.AGENT2);
        StoredService blog = SpecBuilderTest.service("blog", 1, b);
        when(store.list()).thenReturn(List.of(shop, blog));
        health.report(
                Bodies.AGENT,
                Json.MAPPER.readTree(
                        ("[{'serviceId':'" + shop.id() + "','host':'127.0.0.1','port':9001,'healthy':false}]")
                                .replace('\'', '"')));
        Map<java.util.UUID, String> h = status.health(List.of(shop, blog));
        assertEquals("DOWN", h.get(shop.id()));
        assertEquals("UNKNOWN", h.get(blog.id()));
        verify(desired, times(1)).state(Bodies.AGENT);
        verify(desired, times(1)).state(Bodies.AGENT2);
    }
}
