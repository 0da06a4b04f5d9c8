package dev.fleetgate.scaling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import org.junit.jupiter.api.Test;

/** The loop on recorded signal traces (one sample every 10 s, as the agents send them). */
class ControlLoopTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long STEP = 10_000;
    private static final Policy.Targets RPS_100 = new Policy.Targets(100.0, null, null, null, null);

    /** Runs a trace of request rates through a loop, applying every change; the decisions in order. */
    private static List<Decision> run(Policy p, int start, int samples, IntToDoubleFunction rps) {
        ControlLoop loop = new ControlLoop();
        List<Decision> out = new ArrayList<>();
        int current = start;
        for (int i = 0; i < samples; i++) {
            long at = T0 + i * STEP;
            Decision d = loop.evaluate(p, current, Signals.rps(at, rps.applyAsDouble(i)), at + 500);
            out.add(d);
            current = d.to();
        }
        return out;
    }

    private static int[] replicas(List<Decision> ds) {
        return ds.stream().mapToInt(Decision::to).toArray();
    }

    /** Changes of direction in a replica series. */
    static int oscillations(int[] replicas) {
        int n = 0;
        int prev = 0;
        for (int i = 1; i < replicas.length; i++) {
            int dir = Integer.signum(replicas[i] - replicas[i - 1]);
            if (dir != 0) {
                if (prev != 0 && dir != prev) {
                    n++;
                }
                prev = dir;
            }
        }
        return n;
    }

    @Test
    void stepUpFastThenDownAfterTheWindow() {
        Policy p = Policy.of(1, 10, RPS_100).withWindows(0, 60);
        // 6 samples idle-ish, 24 at 400 req/s, then 30 with no load
        List<Decision> ds = run(p, 1, 60, i -> i < 6 ? 50 : i < 30 ? 400 : 0);
        int[] r = replicas(ds);
        assertEquals(1, r[5]);
        assertEquals(4, r[6], "the first sample over the target scales up at once: ceil(1 × 400/100)");
        assertEquals("rpsPerReplica", ds.get(6).rule());
        assertTrue(
                ds.get(6).reason().contains("400 req/s over 1 replica(s)"),
                ds.get(6).reason());
        for (int i = 7; i < 30; i++) {
            assertEquals(4, r[i], "steady load holds the count at sample " + i);
        }
        int firstDown = -1;
        for (int i = 30; i < r.length; i++) {
            if (r[i] < r[i - 1]) {
                firstDown = i;
                break;
            }
        }
        assertTrue(firstDown - 30 >= 6, "no scale-down inside the 60 s window, first at sample " + firstDown);
        assertEquals(1, r[r.length - 1], "back at minReplicas");
        for (int i = 31; i < r.length; i++) {
            assertTrue(r[i - 1] - r[i] <= 1, "scale-down step limit 1");
        }
        assertTrue(
                ds.stream()
                        .anyMatch(d ->
                                "stabilization".equals(d.rule()) && d.reason().contains("scale-down window")),
                "a held scale-down says why");
    }

    @Test
    void rampFollowsTheLoadWithinStepsAndBounds() {
        Policy p = Policy.of(1, 10, RPS_100).withWindows(0, 120).withCooldown(0);
        List<Decision> ds = run(p, 1, 60, i -> Math.min(1200, i * 20.0));
        int[] r = replicas(ds);
        for (int i = 1; i < r.length; i++) {
            assertTrue(r[i] >= r[i - 1], "a rising load never scales down (sample " + i + ")");
            assertTrue(r[i] - r[i - 1] <= Policy.DEFAULT_UP_STEP, "up step limit");
            assertTrue(r[i] <= 10, "maxReplicas");
        }
        assertEquals(10, r[r.length - 1]);
        Decision last = ds.get(ds.size() - 1);
        assertEquals("max", last.rule());
        assertTrue(last.reason().contains("maxReplicas 10"), last.reason());
        assertEquals(0, oscillations(r));
    }

    @Test
    void aSpikeShorterThanTheScaleUpWindowChangesNothing() {
        Policy p = Policy.of(1, 10, RPS_100).withWindows(30, 300);
        List<Decision> ds = run(p, 1, 30, i -> i == 10 ? 1000 : 80);
        for (Decision d : ds) {
            assertEquals(1, d.to(), d.reason());
        }
        Decision spike = ds.get(10);
        assertEquals("stabilization", spike.rule());
        assertTrue(spike.reason().contains("scale-up window"), spike.reason());

        List<Decision> fast = run(p.withWindows(0, 60), 1, 30, i -> i == 10 ? 1000 : 80);
        assertEquals(5, fast.get(10).to(), "without a window the spike scales up (1 + step 4)");
        assertEquals(1, fast.get(fast.size() - 1).to(), "and back down after the scale-down window");
    }

    @Test
    void oscillatingLoadIsDampedByTheWindows() {
        // the load swings between 150 and 350 req/s every sample around a 100 req/s per replica target
        IntToDoubleFunction swing = i -> i % 2 == 0 ? 350 : 150;
        Policy damped = Policy.of(1, 10, RPS_100);
        int[] withWindows = replicas(run(damped, 3, 120, swing));
        Policy raw = new Policy(true, 1, 10, RPS_100, null, 0, 0, 0, 10, 10, 0, null, 0, 30);
        int[] without = replicas(run(raw, 3, 120, swing));
        int dampedCount = oscillations(withWindows);
        int rawCount = oscillations(without);
        System.out.println("Oscillating trace (120 samples, 150/350 req/s, target 100/replica): "
                + dampedCount + " oscillations with the default policy (up window 0 s, down window 300 s, "
                + "tolerance 10 %, cooldown 15 s), " + rawCount + " without windows, tolerance or cooldown");
        assertTrue(dampedCount <= 1, "damped: " + dampedCount);
        assertTrue(rawCount >= 100, "undamped flips every sample: " + rawCount);
        assertEquals(4, withWindows[withWindows.length - 1], "holds the peak's count");
    }

    @Test
    void withinToleranceNothingChanges() {
        Decision d = new ControlLoop().evaluate(Policy.of(1, 10, RPS_100), 2, Signals.rps(T0, 215), T0);
        assertFalse(d.changed());
        assertEquals("tolerance", d.rule());
        assertTrue(d.reason().contains("within the 10 % tolerance"), d.reason());
    }

    @Test
    void theHighestSignalDecides() {
        Policy p = Policy.of(1, 20, new Policy.Targets(100.0, 200.0, null, 60.0, null))
                .withSteps(20, 1);
        Signals s = new Signals(T0, 150.0, 500.0, null, 30.0, null, 0.0);
        Decision d = new ControlLoop().evaluate(p, 2, s, T0);
        assertEquals("p95Ms", d.rule());
        assertEquals(5, d.to(), "ceil(2 × 500/200)");
        assertEquals(500.0, d.signals().get("p95Ms"));
    }

    @Test
    void cpuAndInFlightAreRatiosPerReplica() {
        Policy p = Policy.of(1, 20, new Policy.Targets(null, null, 10.0, 50.0, null))
                .withSteps(20, 1);
        Decision d = new ControlLoop().evaluate(p, 2, new Signals(T0, 10.0, null, 60.0, 90.0, null, null), T0);
        assertEquals("inFlightPerReplica", d.rule());
        assertEquals(6, d.to(), "60 in flight / 10 per replica");
        Decision cpu = new ControlLoop().evaluate(p, 4, new Signals(T0, 10.0, null, 4.0, 100.0, null, null), T0);
        assertEquals("cpuPercent", cpu.rule());
        assertEquals(8, cpu.to(), "ceil(4 × 100/50)");
    }

    @Test
    void staleAndReplayedSamplesDecideNothing() {
        Policy p = Policy.of(1, 10, RPS_100);
        ControlLoop loop = new ControlLoop();
        Decision stale = loop.evaluate(p, 1, Signals.rps(T0, 900), T0 + 31_000);
        assertEquals("stale", stale.rule());
        assertFalse(stale.changed());
        Decision first = loop.evaluate(p, 1, Signals.rps(T0 + 40_000, 900), T0 + 41_000);
        assertTrue(first.changed());
        Decision replay = loop.evaluate(p, first.to(), Signals.rps(T0 + 40_000, 5000), T0 + 42_000);
        assertEquals("replayed", replay.rule());
        assertFalse(replay.changed());
        Decision older = loop.evaluate(p, first.to(), Signals.rps(T0 + 30_000, 5000), T0 + 42_000);
        assertEquals("replayed", older.rule());
        Decision future = loop.evaluate(p, first.to(), Signals.rps(T0 + 140_000, 5000), T0 + 42_000);
        assertEquals("stale", future.rule());
        assertTrue(future.reason().contains("in the future"), future.reason());
    }

    @Test
    void theFiveHundredGuardHoldsAScaleUp() {
        Policy p = Policy.of(1, 10, RPS_100);
        Decision d = new ControlLoop().evaluate(p, 2, new Signals(T0, 800.0, null, null, null, null, 75.0), T0);
        assertFalse(d.changed());
        assertEquals("guard5xx", d.rule());
        assertTrue(d.reason().contains("75 % of the answers are 5xx"), d.reason());
    }

    @Test
    void cooldownSpacesChanges() {
        Policy p = Policy.of(1, 20, RPS_100).withCooldown(30).withSteps(1, 1);
        List<Decision> ds = run(p, 1, 8, i -> 1000);
        assertEquals(2, ds.get(0).to());
        assertEquals("cooldown", ds.get(1).rule());
        assertEquals(2, ds.get(2).to());
        assertEquals(3, ds.get(3).to(), "30 s after the first change");
    }

    @Test
    void scalesToZeroWhenIdleAndWakesOnARequest() {
        Policy p = Policy.of(2, 10, RPS_100).withWindows(0, 30).withScaleToZero(60);
        List<Decision> ds = run(p, 2, 20, i -> i < 3 ? 50 : i < 15 ? 0 : 3);
        int[] r = replicas(ds);
        int zeroAt = -1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == 0) {
                zeroAt = i;
                break;
            }
        }
        assertEquals(8, zeroAt, "60 s after the last request (sample 2)");
        assertEquals("idle", ds.get(zeroAt).rule());
        assertEquals(0, r[14]);
        assertEquals(2, r[15], "a request wakes it up to minReplicas");
        assertEquals("wake", ds.get(15).rule());
    }

    @Test
    void belowTheMinimumWithoutScaleToZeroStartsTheMinimum() {
        Decision d = new ControlLoop().evaluate(Policy.of(2, 4, RPS_100), 0, Signals.rps(T0, 0), T0);
        assertEquals(2, d.to());
        assertEquals("min", d.rule());
    }

    @Test
    void noTargetedSignalNoDecision() {
        Policy p = Policy.of(1, 10, new Policy.Targets(null, 100.0, null, null, null));
        Decision d = new ControlLoop().evaluate(p, 2, Signals.rps(T0, 500), T0);
        assertEquals("noSignal", d.rule());
        assertFalse(d.changed());
    }

    @Test
    void resetStartsTheWindowsAgain() {
        Policy p = Policy.of(1, 10, RPS_100).withWindows(0, 60);
        ControlLoop loop = new ControlLoop();
        for (int i = 0; i < 10; i++) {
            loop.evaluate(p, 3, Signals.rps(T0 + i * STEP, 300), T0 + i * STEP);
        }
        assertTrue(loop.historySize() > 0);
        loop.reset(T0 + 100_000);
        assertEquals(0, loop.historySize());
        Decision d = loop.evaluate(p, 3, Signals.rps(T0 + 110_000, 0), T0 + 110_000);
        assertEquals("stabilization", d.rule(), d.reason());
    }
}
