package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.fleetgate.proxy.internal.ServiceStatus.AgentState;
import dev.fleetgate.proxy.internal.ServiceStatus.TargetState;

class ServiceHealthTest {
    private static final AgentState APPLIED = new AgentState("a1", 3L, "APPLIED", null);
    private static final AgentState APPLIED2 = new AgentState("a2", 3L, "APPLIED", null);
    private static final TargetState UP = new TargetState("10.0.0.1", 80, true);
    private static final TargetState DOWN = new TargetState("10.0.0.2", 80, false);
    private static final TargetState UNREPORTED = new TargetState("10.0.0.3", 80, null);

    @Test
    void unknownWithoutAgentsOrReports() {
        assertEquals("UNKNOWN", ServiceHealth.of(List.of(), List.of(UP), false));
        assertEquals("UNKNOWN", ServiceHealth.of(List.of(APPLIED), List.of(UNREPORTED), false));
        assertEquals("UNKNOWN", ServiceHealth.of(List.of(APPLIED), List.of(), false));
    }

    @Test
    void targetsDecideDownDegradedHealthy() {
        assertEquals("DOWN", ServiceHealth.of(List.of(APPLIED), List.of(DOWN), false));
        assertEquals("DOWN", ServiceHealth.of(List.of(APPLIED), List.of(DOWN, UNREPORTED), false));
        assertEquals("DEGRADED", ServiceHealth.of(List.of(APPLIED), List.of(UP, DOWN), false));
        assertEquals("HEALTHY", ServiceHealth.of(List.of(APPLIED), List.of(UP, UNREPORTED), false));
    }

    @Test
    void failedConfiguration() {
        AgentState failedKeepsOld = new AgentState("a2", 2L, "FAILED", "boom");
        AgentState failedNever = new AgentState("a2", null, "FAILED", "boom");
        assertEquals("DEGRADED", ServiceHealth.of(List.of(APPLIED, failedKeepsOld), List.of(UP), false));
        assertEquals(
                "DEGRADED",
                ServiceHealth.of(List.of(failedKeepsOld), List.of(UP), false),
                "the agent keeps serving its last good configuration");
        assertEquals("DOWN", ServiceHealth.of(List.of(failedNever), List.of(), false), "nothing ever applied anywhere");
        assertEquals("DEGRADED", ServiceHealth.of(List.of(APPLIED, failedNever), List.of(UP), false));
    }

    @Test
    void replicas() {
        List<TargetState> none = List.of();
        assertEquals(
                "HEALTHY",
                ServiceHealth.of(
                        List.of(APPLIED.with(new ContainerReports.Summary(2, 2, 2, "OK", null))), List.of(UP), true));
        assertEquals(
                "DEGRADED",
                ServiceHealth.of(
                        List.of(APPLIED.with(new ContainerReports.Summary(2, 2, 1, "OK", null))), List.of(UP), true));
        assertEquals(
                "DOWN",
                ServiceHealth.of(List.of(APPLIED.with(new ContainerReports.Summary(2, 2, 0, "OK", null))), none, true));
        assertEquals(
                "DEGRADED",
                ServiceHealth.of(
                        List.of(
                                APPLIED.with(new ContainerReports.Summary(1, 1, 1, "OK", null)),
                                APPLIED2.with(new ContainerReports.Summary(1, 0, 0, "FAILED", "no engine"))),
                        List.of(UP),
                        true),
                "summed over agents");
        assertEquals(
                "UNKNOWN",
                ServiceHealth.of(
                        List.of(APPLIED.with(new ContainerReports.Summary(2, 0, 0, "PENDING", null))), none, true),
                "the agent has not reported its replicas");
    }
}
