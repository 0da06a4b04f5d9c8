package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.fleetgate.agent.nginx.internal.HealthState.Status;

class HealthStateTest {

    @Test
    void aNewTargetEntersRotationAfterItsFirstSuccess() {
        HealthState s = new HealthState(3, 2, Status.PENDING);
        assertFalse(s.inRotation());
        assertTrue(s.record(null), "transition");
        assertEquals(Status.UP, s.status());
    }

    @Test
    void aNewTargetThatKeepsFailingIsDownAfterFall() {
        HealthState s = new HealthState(2, 2, Status.PENDING);
        assertFalse(s.record("refused"));
        assertEquals(Status.PENDING, s.status());
        assertFalse(s.record("refused"));
        assertEquals(Status.DOWN, s.status());
        assertFalse(s.record(null), "one success of rise 2");
        assertTrue(s.record(null));
        assertEquals(Status.UP, s.status());
    }

    @Test
    void upLeavesAfterFallConsecutiveFailuresOnly() {
        HealthState s = new HealthState(2, 3, Status.UP);
        assertFalse(s.record("timeout"));
        assertFalse(s.record("timeout"));
        assertFalse(s.record(null), "a success resets the failures");
        assertFalse(s.record("timeout"));
        assertFalse(s.record("timeout"));
        assertTrue(s.record("HTTP 500"));
        assertEquals(Status.DOWN, s.status());
        assertEquals("HTTP 500", s.lastError());
        assertEquals(6, s.checks());
    }

    @Test
    void downReturnsAfterRiseConsecutiveSuccesses() {
        HealthState s = new HealthState(3, 1, Status.UP);
        assertTrue(s.record("x"));
        assertFalse(s.record(null));
        assertFalse(s.record(null));
        assertFalse(s.record("x"), "a failure resets the successes");
        assertFalse(s.record(null));
        assertFalse(s.record(null));
        assertTrue(s.record(null));
        assertTrue(s.inRotation());
    }

    @Test
    void limitsAreAtLeastOne() {
        HealthState s = new HealthState(0, 0, Status.UP);
        assertTrue(s.record("x"));
        assertTrue(s.record(null));
    }
}
