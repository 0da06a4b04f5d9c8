package dev.fleetgate.monitors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.fleetgate.monitors.MonitorState;
import dev.fleetgate.monitors.internal.StateLogic.AgentView;

class StateLogicTest {

    private static AgentView on(String id, Integer failures) {
        return new AgentView(id, true, failures);
    }

    private static AgentView off(String id, Integer failures) {
        return new AgentView(id, false, failures);
    }

    @Test
    void oneFailureIsNotDownUntilConfirmed() {
        assertEquals(MonitorState.UP, StateLogic.evaluate(List.of(on("a", 1)), 2));
        assertEquals(MonitorState.DOWN, StateLogic.evaluate(List.of(on("a", 2)), 2));
        assertEquals(MonitorState.DOWN, StateLogic.evaluate(List.of(on("a", 1)), 1));
        assertEquals(MonitorState.UP, StateLogic.evaluate(List.of(on("a", 4)), 5));
    }

    @Test
    void someAgentsFailingIsDegraded() {
        assertEquals(MonitorState.DEGRADED, StateLogic.evaluate(List.of(on("a", 3), on("b", 0)), 3));
        assertEquals(MonitorState.DOWN, StateLogic.evaluate(List.of(on("a", 3), on("b", 3)), 3));
        // an unconfirmed failure on the other agent does not make it DOWN
        assertEquals(MonitorState.DEGRADED, StateLogic.evaluate(List.of(on("a", 3), on("b", 2)), 3));
    }

    @Test
    void allAgentsOfflineIsUnknownNotDown() {
        assertEquals(MonitorState.UNKNOWN, StateLogic.evaluate(List.of(off("a", 9), off("b", 9)), 2));
        assertEquals(MonitorState.UNKNOWN, StateLogic.evaluate(List.of(), 2));
    }

    @Test
    void offlineAgentsDoNotCount() {
        assertEquals(MonitorState.UP, StateLogic.evaluate(List.of(off("a", 9), on("b", 0)), 2));
        assertEquals(MonitorState.DOWN, StateLogic.evaluate(List.of(off("a", 0), on("b", 2)), 2));
    }

    @Test
    void noResultYetIsPending() {
        assertEquals(MonitorState.PENDING, StateLogic.evaluate(List.of(on("a", null)), 2));
        // an agent without results yet does not hide the others' verdict
        assertEquals(MonitorState.DOWN, StateLogic.evaluate(List.of(on("a", null), on("b", 2)), 2));
    }

    @Test
    void downNeedsKFailingAgentsWhenSet() {
        List<AgentView> oneOfThree = List.of(on("a", 2), on("b", 0), on("c", 0));
        assertEquals(MonitorState.DEGRADED, StateLogic.evaluate(oneOfThree, 2, 2));
        assertEquals(MonitorState.DOWN, StateLogic.evaluate(List.of(on("a", 2), on("b", 2), on("c", 0)), 2, 2));
        assertEquals(MonitorState.DOWN, StateLogic.evaluate(oneOfThree, 2, 1));
        // K is strict: one reporting agent failing does not confirm alone when K = 2
        assertEquals(MonitorState.DEGRADED, StateLogic.evaluate(List.of(on("a", 2), off("b", 0)), 2, 2));
    }
}
