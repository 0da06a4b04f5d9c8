package dev.fleetgate.scaling.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control loop of one service, as Kubernetes' HPA computes it, evaluated on the agents' sample timestamps.
 * Pure: no clock, no I/O; {@link #evaluate} is given the policy, the current service-wide replica count, the
 * signals and the core's time, and answers a {@link Decision}. Not thread-safe: one caller per service.
 *
 * <ol>
 * <li>A sample not newer than the last one used (a replayed or late batch) or older than
 *     {@link Policy#sampleMaxAgeSeconds()} decides nothing.</li>
 * <li>Per signal with a target: {@code ratio = value / target} (per replica for rates and in-flight);
 *     within the tolerance band it proposes the current count, else {@code ceil(current × ratio)}.
 *     The highest proposal wins (its signal is the rule).</li>
 * <li>No request for {@link Policy#scaleToZeroAfterSeconds()} proposes 0; a request at 0 wakes the service
 *     up to {@code max(1, minReplicas)} at once.</li>
 * <li>Bounds: {@code [minReplicas, maxReplicas]}.</li>
 * <li>Stabilisation: a scale-up takes the lowest recommendation of the scale-up window, a scale-down the
 *     highest of the scale-down window (and waits until the loop has seen a whole window of samples).</li>
 * <li>Step limits, then the 5xx guard (no scale-up into a failing backend), then the cooldown.</li>
 * </ol>
 */
public final class ControlLoop {
    private static final double EPSILON = 1e-9;

    /** {at, recommendation} of the evaluated samples, oldest first. */
    private final ArrayDeque<long[]> history = new ArrayDeque<>();

    private long lastSampleAt = Long.MIN_VALUE;
    private long firstSampleAt = Long.MIN_VALUE;
    private long lastChangeAt = Long.MIN_VALUE;
    private long lastTrafficAt = Long.MIN_VALUE;

    /** A signal's proposal. */
    private record Proposal(String rule, int desired, boolean withinTolerance, String text) {}

    /**
     * @param p       the policy (enabled)
     * @param current the service-wide replica count now
     * @param s       the newest signals
     * @param now     the core's time, epoch millis
     * @return the decision; the caller applies {@code to} when it {@link Decision#changed() changed}
     */
    public Decision evaluate(Policy p, int current, Signals s, long now) {
        Map<String, Double> values = s.values();
        if (s.at() <= lastSampleAt) {
            return Decision.hold(
                    s.at(),
                    current,
                    -1,
                    "replayed",
                    "sample of " + time(s.at())
                            + " is not newer than the last one used (" + time(lastSampleAt)
                            + "): a replayed or late batch decides nothing",
                    values);
        }
        long age = now - s.at();
        long maxAge = p.sampleMaxAgeSeconds() * 1000L;
        if (age > maxAge || -age > maxAge) {
            return Decision.hold(
                    s.at(),
                    current,
                    -1,
                    "stale",
                    "newest sample is " + seconds(age)
                            + " s " + (age >= 0 ? "old" : "in the future (agent clock?)") + ", more than "
                            + p.sampleMaxAgeSeconds() + " s: no decision on stale data",
                    values);
        }
        lastSampleAt = s.at();
        if (firstSampleAt == Long.MIN_VALUE) {
            firstSampleAt = s.at();
            lastTrafficAt = s.at();
        }
        boolean traffic = s.rps() != null && s.rps() > EPSILON;
        if (traffic) {
            lastTrafficAt = s.at();
        }
        if (current == 0) {
            return atZero(p, s, values, traffic);
        }

        List<Proposal> proposals = proposals(p, current, s);
        if (proposals.isEmpty() && (p.scaleToZeroAfterSeconds() == null || s.rps() == null)) {
            return Decision.hold(
                    s.at(), current, -1, "noSignal", "no fresh value of any signal the policy targets", values);
        }
        Proposal best = null;
        for (Proposal pr : proposals) {
            if (best == null || pr.desired() > best.desired()) {
                best = pr;
            }
        }
        int raw = best == null ? current : best.desired();
        String rule = best == null ? "tolerance" : best.rule();
        String why = best == null ? "no target signal" : best.text();
        boolean allWithin = proposals.stream().allMatch(Proposal::withinTolerance);

        if (p.scaleToZeroAfterSeconds() != null
                && s.rps() != null
                && !traffic
                && s.at() - lastTrafficAt >= p.scaleToZeroAfterSeconds() * 1000L) {
            return change(
                    p,
                    current,
                    0,
                    0,
                    s,
                    values,
                    "idle",
                    "no request for " + seconds(s.at() - lastTrafficAt) + " s (scale to zero after "
                            + p.scaleToZeroAfterSeconds() + " s): stopping every replica");
        }

        // minReplicas 0 (scale to zero only): 0 comes from the idle rule above, never from a signal
        int min = Math.max(1, p.minReplicas());
        int bounded = Math.max(min, Math.min(p.maxReplicas(), raw));
        history.addLast(new long[] {s.at(), bounded});
        long keep = Math.max(p.scaleUpStabilizationSeconds(), p.scaleDownStabilizationSeconds()) * 1000L;
        while (!history.isEmpty() && history.peekFirst()[0] < s.at() - keep) {
            history.removeFirst();
        }

        if (bounded == current) {
            if (raw > p.maxReplicas()) {
                return Decision.hold(
                        s.at(),
                        current,
                        raw,
                        "max",
                        why + "; wants " + raw + " but is at maxReplicas " + p.maxReplicas(),
                        values);
            }
            if (raw < min) {
                return Decision.hold(
                        s.at(),
                        current,
                        raw,
                        "min",
                        why + "; would go to " + raw + " but is at minReplicas " + min,
                        values);
            }
            return Decision.hold(
                    s.at(),
                    current,
                    raw,
                    allWithin ? "tolerance" : rule,
                    why + (allWithin ? " (within the " + number(p.tolerancePercent()) + " % tolerance)" : ""),
                    values);
        }
        if (bounded != raw) {
            why += "; bounded to " + bounded + " by " + (raw > bounded ? "maxReplicas" : "minReplicas");
            rule = raw > bounded ? "max" : "min";
        }

        int target;
        if (bounded > current) {
            long from = s.at() - p.scaleUpStabilizationSeconds() * 1000L;
            int lowest = Integer.MAX_VALUE;
            for (long[] h : history) {
                if (h[0] >= from) {
                    lowest = (int) Math.min(lowest, h[1]);
                }
            }
            if (lowest <= current) {
                return Decision.hold(
                        s.at(),
                        current,
                        raw,
                        "stabilization",
                        why + "; scale-up to " + bounded
                                + " waits: the lowest recommendation of the last " + p.scaleUpStabilizationSeconds()
                                + " s (scale-up window) is " + lowest,
                        values);
            }
            target = Math.min(lowest, current + p.maxScaleUpStep());
            if (target < lowest) {
                why += "; step limit +" + p.maxScaleUpStep();
            }
        } else {
            long from = s.at() - p.scaleDownStabilizationSeconds() * 1000L;
            if (firstSampleAt > from) {
                return Decision.hold(
                        s.at(),
                        current,
                        raw,
                        "stabilization",
                        why + "; scale-down to " + bounded
                                + " waits until the loop has seen " + p.scaleDownStabilizationSeconds()
                                + " s of samples (scale-down window; " + seconds(s.at() - firstSampleAt) + " s so far)",
                        values);
            }
            int highest = Integer.MIN_VALUE;
            for (long[] h : history) {
                if (h[0] >= from) {
                    highest = (int) Math.max(highest, h[1]);
                }
            }
            if (highest >= current) {
                return Decision.hold(
                        s.at(),
                        current,
                        raw,
                        "stabilization",
                        why + "; scale-down to " + bounded
                                + " waits: the highest recommendation of the last " + p.scaleDownStabilizationSeconds()
                                + " s (scale-down window) is " + highest,
                        values);
            }
            target = Math.max(highest, current - p.maxScaleDownStep());
            if (target > highest) {
                why += "; step limit -" + p.maxScaleDownStep();
            }
        }

        if (target > current
                && p.max5xxPercent() != null
                && s.errorPercent() != null
                && s.errorPercent() >= p.max5xxPercent()) {
            return Decision.hold(
                    s.at(),
                    current,
                    raw,
                    "guard5xx",
                    why + "; not scaling up: "
                            + number(s.errorPercent()) + " % of the answers are 5xx (guard at "
                            + number(p.max5xxPercent())
                            + " %): more replicas of a failing backend would not help",
                    values);
        }
        return change(p, current, target, raw, s, values, rule, why);
    }

    private Decision change(
            Policy p,
            int current,
            int target,
            int raw,
            Signals s,
            Map<String, Double> values,
            String rule,
            String why) {
        if (lastChangeAt != Long.MIN_VALUE && s.at() - lastChangeAt < p.cooldownSeconds() * 1000L) {
            return Decision.hold(
                    s.at(),
                    current,
                    raw,
                    "cooldown",
                    why + "; " + current + " → " + target
                            + " waits: the last change was " + seconds(s.at() - lastChangeAt) + " s ago (cooldown "
                            + p.cooldownSeconds() + " s)",
                    values);
        }
        lastChangeAt = s.at();
        return new Decision(s.at(), current, target, raw, rule, why + "; " + current + " → " + target, values);
    }

    private Decision atZero(Policy p, Signals s, Map<String, Double> values, boolean traffic) {
        int wake = Math.max(1, Math.min(p.minReplicas(), p.maxReplicas()));
        if (p.scaleToZeroAfterSeconds() == null) {
            lastChangeAt = s.at();
            return new Decision(
                    s.at(),
                    0,
                    wake,
                    wake,
                    "min",
                    "no replica running and the policy does not scale to" + " zero: starting minReplicas; 0 → " + wake,
                    values);
        }
        if (!traffic) {
            return Decision.hold(
                    s.at(), 0, 0, "idle", "scaled to zero; no request since " + time(lastTrafficAt), values);
        }
        lastChangeAt = s.at();
        history.clear();
        return new Decision(
                s.at(),
                0,
                wake,
                wake,
                "wake",
                number(s.rps()) + " req/s reached a service scaled to" + " zero: starting " + wake + " replica(s); 0 → "
                        + wake,
                values);
    }

    private static List<Proposal> proposals(Policy p, int current, Signals s) {
        List<Proposal> out = new ArrayList<>();
        Policy.Targets t = p.targets();
        double tol = p.tolerancePercent() / 100;
        if (t.rpsPerReplica() != null && s.rps() != null) {
            double per = s.rps() / current;
            out.add(proposal(
                    "rpsPerReplica",
                    current,
                    per / t.rpsPerReplica(),
                    tol,
                    number(s.rps()) + " req/s over " + current + " replica(s) = " + number(per)
                            + " per replica, target " + number(t.rpsPerReplica())));
        }
        if (t.p95Ms() != null && s.p95Ms() != null) {
            out.add(proposal(
                    "p95Ms",
                    current,
                    s.p95Ms() / t.p95Ms(),
                    tol,
                    "p95 " + number(s.p95Ms()) + " ms, target " + number(t.p95Ms()) + " ms"));
        }
        if (t.inFlightPerReplica() != null && s.inFlight() != null) {
            double per = s.inFlight() / current;
            out.add(proposal(
                    "inFlightPerReplica",
                    current,
                    per / t.inFlightPerReplica(),
                    tol,
                    number(s.inFlight())
                            + " requests in flight = " + number(per) + " per replica, target "
                            + number(t.inFlightPerReplica())));
        }
        if (t.cpuPercent() != null && s.cpuPercent() != null) {
            out.add(proposal(
                    "cpuPercent",
                    current,
                    s.cpuPercent() / t.cpuPercent(),
                    tol,
                    "CPU " + number(s.cpuPercent()) + " % of the limit per replica, target " + number(t.cpuPercent())
                            + " %"));
        }
        if (t.memoryPercent() != null && s.memoryPercent() != null) {
            out.add(proposal(
                    "memoryPercent",
                    current,
                    s.memoryPercent() / t.memoryPercent(),
                    tol,
                    "memory "
                            + number(s.memoryPercent()) + " % of the limit per replica, target "
                            + number(t.memoryPercent())
                            + " %"));
        }
        return out;
    }

    private static Proposal proposal(String rule, int current, double ratio, double tol, String text) {
        String r = " (ratio "
                + BigDecimal.valueOf(ratio).setScale(2, RoundingMode.HALF_UP).toPlainString() + ")";
        if (Math.abs(ratio - 1) <= tol) {
            return new Proposal(rule, current, true, rule + ": " + text + r);
        }
        int desired = (int) Math.min(Integer.MAX_VALUE / 2, Math.ceil(current * ratio - EPSILON));
        return new Proposal(rule, desired, false, rule + ": " + text + r + " → " + desired);
    }

    /** Forgets the recommendations and counts a change now (after a manual change or a policy update). */
    public void reset(long at) {
        history.clear();
        lastChangeAt = at;
        firstSampleAt = Long.MIN_VALUE;
    }

    /** @return the sample time of the last evaluated sample, or {@link Long#MIN_VALUE} */
    public long lastSampleAt() {
        return lastSampleAt;
    }

    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return String.valueOf(d);
        }
        return BigDecimal.valueOf(d)
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String seconds(long millis) {
        return number(Math.abs(millis) / 1000.0);
    }

    private static String time(long millis) {
        return millis == Long.MIN_VALUE
                ? "never"
                : java.time.Instant.ofEpochMilli(millis).toString();
    }

    /** For tests: how many recommendations are kept. */
    int historySize() {
        return history.size();
    }
}
