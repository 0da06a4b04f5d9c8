package dev.fleetgate.scaling.internal;

import java.util.Map;

/**
 * One outcome of the loop: a change ({@code from != to}) or why there is none.
 *
 * @param at          epoch millis: the sample time it was decided on (or the core's time when there was no sample)
 * @param from        replicas (service-wide) before
 * @param to          replicas after ({@code from} when nothing changes)
 * @param recommended what the signals asked for before windows, steps, cooldown and guards ({@code -1} unknown)
 * @param rule        which rule decided: a signal name ({@code rpsPerReplica}…), or {@code tolerance},
 *                    {@code stabilization}, {@code cooldown}, {@code guard5xx}, {@code max}, {@code min},
 *                    {@code idle}, {@code wake}, {@code stale}, {@code replayed}, {@code noSignal},
 *                    {@code frozen}, {@code paused}, {@code manual}
 * @param reason      a sentence for a person
 * @param signals     the values it was decided on
 */
public record Decision(
        long at, int from, int to, int recommended, String rule, String reason, Map<String, Double> signals) {

    public Decision {
        signals = signals == null ? Map.of() : Map.copyOf(signals);
    }

    /** @return whether the replica count changes */
    public boolean changed() {
        return from != to;
    }

    /** No change, for this reason. */
    static Decision hold(long at, int current, int recommended, String rule, String reason, Map<String, Double> s) {
        return new Decision(at, current, current, recommended, rule, reason, s);
    }
}
