package dev.fleetgate.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConditionTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    static Rule rule(String op, double threshold, Double clear, int forSeconds, int clearFor) {
        return new Rule(
                null,
                "r",
                "metric",
                true,
                "warning",
                "m",
                Map.of(),
                "last",
                0,
                op,
                threshold,
                clear,
                forSeconds,
                clearFor,
                null,
                0,
                List.of(),
                false,
                null,
                null);
    }

    /** Steps samples every {@code stepSeconds} from {@code start}; returns the transitions. */
    static List<Condition.Transition> run(
            Rule r, Condition.State[] state, int startSecond, int stepSeconds, double... values) {
        List<Condition.Transition> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Condition.Step s =
                    Condition.step(r, state[0], T0.plusSeconds(startSecond + (long) i * stepSeconds), values[i]);
            state[0] = s.state();
            if (s.transition() != Condition.Transition.NONE) {
                out.add(s.transition());
            }
        }
        return out;
    }

    @Test
    void opensOnceForManyBreachingSamples() {
        Condition.State[] st = {Condition.State.INITIAL};
        assertEquals(
                List.of(Condition.Transition.OPEN),
                run(rule(">", 85, null, 0, 0), st, 0, 10, 90, 91, 99, 100, 86, 95, 88, 90, 92, 93));
        assertTrue(st[0].firing());
    }

    @Test
    void waitsForSecondsBeforeOpening() {
        Rule r = rule(">", 90, null, 1800, 0);
        Condition.State[] st = {Condition.State.INITIAL};
        double[] high = new double[30];
        java.util.Arrays.fill(high, 95);
        assertEquals(List.of(), run(r, st, 0, 60, high), "29 minutes of breach");
        assertEquals(List.of(Condition.Transition.OPEN), run(r, st, 1800, 60, 95), "30 minutes");
    }

    @Test
    void aDipRestartsTheForPeriod() {
        Rule r = rule(">", 90, null, 120, 0);
        Condition.State[] st = {Condition.State.INITIAL};
        assertEquals(List.of(), run(r, st, 0, 60, 95, 95, 50, 95, 95));
        assertEquals(List.of(Condition.Transition.OPEN), run(r, st, 300, 60, 95));
    }

    @Test
    void resolvesOnlyAfterClearFor() {
        Rule r = rule(">", 85, null, 0, 60);
        Condition.State[] st = {Condition.State.INITIAL};
        assertEquals(List.of(Condition.Transition.OPEN), run(r, st, 0, 10, 90));
        assertEquals(List.of(), run(r, st, 10, 10, 50, 50, 50, 50, 50, 50), "50 s clear");
        assertEquals(List.of(Condition.Transition.RESOLVE), run(r, st, 70, 10, 50), "60 s clear");
        assertFalse(st[0].firing());
    }

    @Test
    void hysteresisKeepsFiringBetweenTheThresholds() {
        Rule r = rule(">", 85, 80.0, 0, 0);
        Condition.State[] st = {Condition.State.INITIAL};
        assertEquals(List.of(Condition.Transition.OPEN), run(r, st, 0, 10, 86));
        assertEquals(List.of(), run(r, st, 10, 10, 84, 82, 81, 84.9, 83), "between 80 and 85: still firing");
        assertEquals(List.of(Condition.Transition.RESOLVE), run(r, st, 100, 10, 79));
        assertEquals(List.of(), run(r, st, 110, 10, 84), "not firing: 84 does not open again");
    }

    @Test
    void flappingValueAroundTheThresholdIsDampedByClearFor() {
        Rule r = rule(">", 85, null, 0, 60);
        Condition.State[] st = {Condition.State.INITIAL};
        assertEquals(List.of(Condition.Transition.OPEN), run(r, st, 0, 10, 90, 80, 90, 80, 90, 80, 90, 80, 90, 80));
    }

    @Test
    void replayedSamplesChangeNothing() {
        Rule r = rule(">", 85, null, 0, 0);
        Condition.State[] st = {Condition.State.INITIAL};
        run(r, st, 0, 10, 90, 91, 92);
        Condition.State after = st[0];
        assertEquals(List.of(), run(r, st, 0, 10, 10, 10, 10), "the same timestamps again, other values");
        assertEquals(after, st[0]);
    }

    @Test
    void lowerThanOperators() {
        Rule r = rule("<", 10, 20.0, 0, 0);
        Condition.State[] st = {Condition.State.INITIAL};
        assertEquals(List.of(Condition.Transition.OPEN), run(r, st, 0, 10, 11, 9));
        assertEquals(List.of(), run(r, st, 20, 10, 15, 19.5));
        assertEquals(List.of(Condition.Transition.RESOLVE), run(r, st, 40, 10, 20));
    }
}
