package dev.fleetgate.alerts.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * The per-series condition of a metric rule, stepped one sample at a time in sample-time
 * order. Pure: the same samples always give the same transitions, so evaluation by sample
 * time is repeatable, and samples at or before {@link State#evaluatedTo()} are skipped, so a
 * replayed batch changes nothing.
 */
public final class Condition {

    /** What a step did. */
    public enum Transition {
        NONE,
        OPEN,
        RESOLVE
    }

    /**
     * @param evaluatedTo the newest sample time stepped, or null
     * @param runStart    first sample of the current run of breaching samples, or null
     * @param clearStart  first sample of the current run of clear samples while firing, or null
     * @param firing      whether the rule fires for the series
     */
    public record State(Instant evaluatedTo, Instant runStart, Instant clearStart, boolean firing) {
        public static final State INITIAL = new State(null, null, null, false);
    }

    /** @param state the state after the sample; @param transition what it did */
    public record Step(State state, Transition transition) {}

    private Condition() {}

    /**
     * @param rule  the rule ({@code op}, thresholds, {@code forSeconds}, {@code clearForSeconds})
     * @param state the state before
     * @param ts    the sample time
     * @param value the aggregated value at {@code ts}
     */
    public static Step step(Rule rule, State state, Instant ts, double value) {
        if (state.evaluatedTo() != null && !ts.isAfter(state.evaluatedTo())) {
            return new Step(state, Transition.NONE); // already seen (replayed batch)
        }
        boolean bad = rule.breaches(value, state.firing());
        if (bad) {
            Instant run = state.runStart() == null ? ts : state.runStart();
            if (!state.firing()
                    && !Duration.between(run, ts)
                            .minusSeconds(rule.forSeconds())
                            .isNegative()) {
                return new Step(new State(ts, run, null, true), Transition.OPEN);
            }
            return new Step(new State(ts, run, null, state.firing()), Transition.NONE);
        }
        if (!state.firing()) {
            return new Step(new State(ts, null, null, false), Transition.NONE);
        }
        Instant clear = state.clearStart() == null ? ts : state.clearStart();
        if (!Duration.between(clear, ts).minusSeconds(rule.clearForSeconds()).isNegative()) {
            return new Step(new State(ts, null, null, false), Transition.RESOLVE);
        }
        return new Step(new State(ts, null, clear, true), Transition.NONE);
    }
}
