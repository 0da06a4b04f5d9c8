package dev.fleetgate.scaling.internal;

import java.util.function.Consumer;

/**
 * A service's autoscaling policy. Replica counts are service-wide totals (every placed agent's replicas
 * together); {@link Spread} turns a total into the per-agent count the proxy module stores.
 *
 * @param enabled                       whether the loop acts
 * @param minReplicas                   lowest total while traffic flows (1..)
 * @param maxReplicas                   highest total
 * @param targets                       what one replica should carry (at least one when enabled)
 * @param max5xxPercent                 5xx guard: no scale-up while this share (or more) of the answers is 5xx;
 *                                      null switches the guard off
 * @param scaleUpStabilizationSeconds   a scale-up takes the lowest recommendation of this window (0 = at once)
 * @param scaleDownStabilizationSeconds a scale-down takes the highest recommendation of this window
 * @param tolerancePercent              a signal within this distance of its target proposes no change
 * @param maxScaleUpStep                at most this many replicas added by one decision
 * @param maxScaleDownStep              at most this many replicas removed by one decision
 * @param cooldownSeconds               no change within this time after the last change
 * @param scaleToZeroAfterSeconds       stop the last replica after this long without a request; null = never
 * @param manualPauseSeconds            a manual replica change pauses the policy this long
 * @param sampleMaxAgeSeconds           samples older than this (against the core's clock) decide nothing
 * @param maxHeldRequests               scale to zero: requests one agent's nginx holds at once while a replica
 *                                      starts; more get 503 with Retry-After at once
 * @param startingPageAfterMs           scale to zero: a held request gets the "starting" page (503, Retry-After)
 *                                      when no replica is ready after this long
 */
public record Policy(
        boolean enabled,
        int minReplicas,
        int maxReplicas,
        Targets targets,
        Double max5xxPercent,
        int scaleUpStabilizationSeconds,
        int scaleDownStabilizationSeconds,
        double tolerancePercent,
        int maxScaleUpStep,
        int maxScaleDownStep,
        int cooldownSeconds,
        Integer scaleToZeroAfterSeconds,
        int manualPauseSeconds,
        int sampleMaxAgeSeconds,
        int maxHeldRequests,
        int startingPageAfterMs) {

    public static final int DEFAULT_UP_WINDOW = 0;
    public static final int DEFAULT_DOWN_WINDOW = 300;
    public static final double DEFAULT_TOLERANCE = 10;
    public static final int DEFAULT_UP_STEP = 4;
    public static final int DEFAULT_DOWN_STEP = 1;
    public static final int DEFAULT_COOLDOWN = 15;
    public static final double DEFAULT_MAX_5XX = 50;
    public static final int DEFAULT_MANUAL_PAUSE = 600;
    public static final int DEFAULT_SAMPLE_MAX_AGE = 30;
    public static final int DEFAULT_MAX_HELD = 100;
    public static final int DEFAULT_STARTING_PAGE_AFTER_MS = 10_000;

    public Policy {
        targets = targets == null ? Targets.NONE : targets;
    }

    /** A policy with the scale-to-zero hold's defaults. */
    public Policy(
            boolean enabled,
            int minReplicas,
            int maxReplicas,
            Targets targets,
            Double max5xxPercent,
            int scaleUpStabilizationSeconds,
            int scaleDownStabilizationSeconds,
            double tolerancePercent,
            int maxScaleUpStep,
            int maxScaleDownStep,
            int cooldownSeconds,
            Integer scaleToZeroAfterSeconds,
            int manualPauseSeconds,
            int sampleMaxAgeSeconds) {
        this(
                enabled,
                minReplicas,
                maxReplicas,
                targets,
                max5xxPercent,
                scaleUpStabilizationSeconds,
                scaleDownStabilizationSeconds,
                tolerancePercent,
                maxScaleUpStep,
                maxScaleDownStep,
                cooldownSeconds,
                scaleToZeroAfterSeconds,
                manualPauseSeconds,
                sampleMaxAgeSeconds,
                DEFAULT_MAX_HELD,
                DEFAULT_STARTING_PAGE_AFTER_MS);
    }

    /** A policy with the defaults and these bounds and targets. */
    public static Policy of(int min, int max, Targets targets) {
        return new Policy(
                true,
                min,
                max,
                targets,
                DEFAULT_MAX_5XX,
                DEFAULT_UP_WINDOW,
                DEFAULT_DOWN_WINDOW,
                DEFAULT_TOLERANCE,
                DEFAULT_UP_STEP,
                DEFAULT_DOWN_STEP,
                DEFAULT_COOLDOWN,
                null,
                DEFAULT_MANUAL_PAUSE,
                DEFAULT_SAMPLE_MAX_AGE);
    }

    public Policy withWindows(int up, int down) {
        return copy(p -> {
            p.scaleUpStabilizationSeconds = up;
            p.scaleDownStabilizationSeconds = down;
        });
    }

    public Policy withCooldown(int seconds) {
        return copy(p -> p.cooldownSeconds = seconds);
    }

    public Policy withScaleToZero(Integer seconds) {
        return copy(p -> p.scaleToZeroAfterSeconds = seconds);
    }

    public Policy withSteps(int up, int down) {
        return copy(p -> {
            p.maxScaleUpStep = up;
            p.maxScaleDownStep = down;
        });
    }

    /** @return this policy with what {@code change} sets on a mutable copy of its components */
    private Policy copy(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return new Policy(
                enabled,
                minReplicas,
                maxReplicas,
                targets,
                max5xxPercent,
                c.scaleUpStabilizationSeconds,
                c.scaleDownStabilizationSeconds,
                tolerancePercent,
                c.maxScaleUpStep,
                c.maxScaleDownStep,
                c.cooldownSeconds,
                c.scaleToZeroAfterSeconds,
                manualPauseSeconds,
                sampleMaxAgeSeconds,
                maxHeldRequests,
                startingPageAfterMs);
    }

    /** The components the {@code with…} methods replace. */
    private static final class Copy {
        int scaleUpStabilizationSeconds;
        int scaleDownStabilizationSeconds;
        int maxScaleUpStep;
        int maxScaleDownStep;
        int cooldownSeconds;
        Integer scaleToZeroAfterSeconds;

        Copy(Policy p) {
            scaleUpStabilizationSeconds = p.scaleUpStabilizationSeconds;
            scaleDownStabilizationSeconds = p.scaleDownStabilizationSeconds;
            maxScaleUpStep = p.maxScaleUpStep;
            maxScaleDownStep = p.maxScaleDownStep;
            cooldownSeconds = p.cooldownSeconds;
            scaleToZeroAfterSeconds = p.scaleToZeroAfterSeconds;
        }
    }

    /**
     * Per-replica targets; null = not a target.
     *
     * @param rpsPerReplica      requests per second one replica should serve
     * @param p95Ms              the service's p95 response time (ms) to keep
     * @param inFlightPerReplica requests in flight per replica (estimated: rate × median time, Little's law)
     * @param cpuPercent         CPU of a replica in % of its CPU limit (or of the host's cores without one)
     * @param memoryPercent      memory of a replica in % of its memory limit (replicas without a limit give none)
     */
    public record Targets(
            Double rpsPerReplica, Double p95Ms, Double inFlightPerReplica, Double cpuPercent, Double memoryPercent) {
        public static final Targets NONE = new Targets(null, null, null, null, null);

        public boolean any() {
            return rpsPerReplica != null
                    || p95Ms != null
                    || inFlightPerReplica != null
                    || cpuPercent != null
                    || memoryPercent != null;
        }
    }
}
