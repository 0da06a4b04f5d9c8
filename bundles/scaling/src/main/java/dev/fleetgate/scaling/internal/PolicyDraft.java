package dev.fleetgate.scaling.internal;

import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.input.Fields;

/**
 * An autoscaling policy as given, not yet validated: the shell's options over the stored policy, or a PUT body read
 * by {@link PolicyJson#read}. Null means not given (the default applies); {@link #validate} checks it with the REST
 * API's field names and reasons.
 *
 * @param max5xxPercent null: not given (the default guard, {@value Policy#DEFAULT_MAX_5XX} %); empty: the guard is
 *                      switched off (JSON {@code null})
 */
public record PolicyDraft(
        Boolean enabled,
        Integer minReplicas,
        Integer maxReplicas,
        Policy.Targets targets,
        Optional<Double> max5xxPercent,
        Integer scaleUpStabilizationSeconds,
        Integer scaleDownStabilizationSeconds,
        Double tolerancePercent,
        Integer maxScaleUpStep,
        Integer maxScaleDownStep,
        Integer cooldownSeconds,
        Integer scaleToZeroAfterSeconds,
        Integer manualPauseSeconds,
        Integer sampleMaxAgeSeconds,
        Integer maxHeldRequests,
        Integer startingPageAfterMs) {

    /** Nothing given. */
    public static final PolicyDraft NONE = new PolicyDraft(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** @return a stored policy as a draft, every setting given */
    public static PolicyDraft of(Policy p) {
        return new PolicyDraft(
                p.enabled(),
                p.minReplicas(),
                p.maxReplicas(),
                p.targets(),
                Optional.ofNullable(p.max5xxPercent()),
                p.scaleUpStabilizationSeconds(),
                p.scaleDownStabilizationSeconds(),
                p.tolerancePercent(),
                p.maxScaleUpStep(),
                p.maxScaleDownStep(),
                p.cooldownSeconds(),
                p.scaleToZeroAfterSeconds(),
                p.manualPauseSeconds(),
                p.sampleMaxAgeSeconds(),
                p.maxHeldRequests(),
                p.startingPageAfterMs());
    }

    /**
     * Checks the draft; errors go into {@code in} (the caller {@link Fields#check() checks}), including the members a
     * JSON reader marked malformed there.
     *
     * @return the policy, or null when {@code in} has errors
     */
    public Policy validate(Fields in) {
        boolean on = in.boolValue(enabled, "enabled", true);
        // 0 only with scaleToZeroAfterSeconds (checked below): the loop then stops the last replica when idle
        Integer min = in.requiredIntegerValue(minReplicas, "minReplicas", 0, PolicyJson.MAX_TOTAL);
        Integer max = in.requiredIntegerValue(maxReplicas, "maxReplicas", 1, PolicyJson.MAX_TOTAL);
        if (min != null && max != null && max < min) {
            in.error("maxReplicas", "must be at least minReplicas (" + min + ")");
        }
        if (in.isMalformed("targets")) {
            in.error("targets", "must be an object");
        }
        Policy.Targets ts = Policy.Targets.NONE;
        if (targets != null) {
            ts = new Policy.Targets(
                    in.numberValue(targets.rpsPerReplica(), "targets.rpsPerReplica", 0.01, 1e6),
                    in.numberValue(targets.p95Ms(), "targets.p95Ms", 1, 600_000),
                    in.numberValue(targets.inFlightPerReplica(), "targets.inFlightPerReplica", 0.01, 1e5),
                    in.numberValue(targets.cpuPercent(), "targets.cpuPercent", 1, 100),
                    in.numberValue(targets.memoryPercent(), "targets.memoryPercent", 1, 100));
        }
        if (on && !ts.any() && in.ok()) {
            in.error("targets", "needs at least one of " + String.join(", ", new TreeSet<>(PolicyJson.TARGETS)));
        }
        Double guard = max5xxPercent == null && !in.isMalformed("max5xxPercent")
                ? Double.valueOf(Policy.DEFAULT_MAX_5XX)
                : in.numberValue(max5xxPercent == null ? null : max5xxPercent.orElse(null), "max5xxPercent", 1, 100);
        int up = or(in.integerValue(
                scaleUpStabilizationSeconds, "scaleUpStabilizationSeconds", 0, 3600, Policy.DEFAULT_UP_WINDOW));
        int down = or(in.integerValue(
                scaleDownStabilizationSeconds, "scaleDownStabilizationSeconds", 0, 3600, Policy.DEFAULT_DOWN_WINDOW));
        Double tol = in.numberValue(tolerancePercent, "tolerancePercent", 0, 50);
        int upStep =
                or(in.integerValue(maxScaleUpStep, "maxScaleUpStep", 1, PolicyJson.MAX_TOTAL, Policy.DEFAULT_UP_STEP));
        int downStep = or(in.integerValue(
                maxScaleDownStep, "maxScaleDownStep", 1, PolicyJson.MAX_TOTAL, Policy.DEFAULT_DOWN_STEP));
        int cooldown = or(in.integerValue(cooldownSeconds, "cooldownSeconds", 0, 3600, Policy.DEFAULT_COOLDOWN));
        Integer zero = in.integerValue(scaleToZeroAfterSeconds, "scaleToZeroAfterSeconds", 10, 86_400, null);
        if (min != null && min == 0 && zero == null) {
            in.error("minReplicas", "may be 0 only with scaleToZeroAfterSeconds");
        }
        int held = or(in.integerValue(maxHeldRequests, "maxHeldRequests", 1, 10_000, Policy.DEFAULT_MAX_HELD));
        int startingAfter = or(in.integerValue(
                startingPageAfterMs, "startingPageAfterMs", 100, 600_000, Policy.DEFAULT_STARTING_PAGE_AFTER_MS));
        int pause =
                or(in.integerValue(manualPauseSeconds, "manualPauseSeconds", 0, 86_400, Policy.DEFAULT_MANUAL_PAUSE));
        int maxAge =
                or(in.integerValue(sampleMaxAgeSeconds, "sampleMaxAgeSeconds", 5, 600, Policy.DEFAULT_SAMPLE_MAX_AGE));
        if (!in.ok()) {
            return null;
        }
        return new Policy(
                on,
                min,
                max,
                ts,
                guard,
                up,
                down,
                tol == null ? Policy.DEFAULT_TOLERANCE : tol,
                upStep,
                downStep,
                cooldown,
                zero,
                pause,
                maxAge,
                held,
                startingAfter);
    }

    private static int or(Integer v) {
        return v == null ? 0 : v;
    }

    /**
     * Reads the members of a policy object as they are: one of the wrong JSON type is left null and marked
     * {@link Fields#malformed malformed} in {@code in}; unknown members are reported there.
     */
    static PolicyDraft read(JsonNode body, Fields in) {
        in.unknown(body, PolicyJson.KNOWN, "");
        Policy.Targets targets = null;
        JsonNode t = body.get("targets");
        if (!Fields.absent(t)) {
            if (t.isObject()) {
                in.unknown(t, PolicyJson.TARGETS, "targets");
                targets = new Policy.Targets(
                        number(t, "rpsPerReplica", "targets.rpsPerReplica", in),
                        number(t, "p95Ms", "targets.p95Ms", in),
                        number(t, "inFlightPerReplica", "targets.inFlightPerReplica", in),
                        number(t, "cpuPercent", "targets.cpuPercent", in),
                        number(t, "memoryPercent", "targets.memoryPercent", in));
            } else {
                in.malformed("targets");
            }
        }
        Boolean enabled = null;
        JsonNode e = body.get("enabled");
        if (!Fields.absent(e)) {
            if (e.isBoolean()) {
                enabled = e.asBoolean();
            } else {
                in.malformed("enabled");
            }
        }
        Optional<Double> guard = body.has("max5xxPercent")
                ? Optional.ofNullable(number(body, "max5xxPercent", "max5xxPercent", in))
                : null;
        return new PolicyDraft(
                enabled,
                integer(body, "minReplicas", in),
                integer(body, "maxReplicas", in),
                targets,
                guard,
                integer(body, "scaleUpStabilizationSeconds", in),
                integer(body, "scaleDownStabilizationSeconds", in),
                number(body, "tolerancePercent", "tolerancePercent", in),
                integer(body, "maxScaleUpStep", in),
                integer(body, "maxScaleDownStep", in),
                integer(body, "cooldownSeconds", in),
                integer(body, "scaleToZeroAfterSeconds", in),
                integer(body, "manualPauseSeconds", in),
                integer(body, "sampleMaxAgeSeconds", in),
                integer(body, "maxHeldRequests", in),
                integer(body, "startingPageAfterMs", in));
    }

    private static Integer integer(JsonNode parent, String name, Fields in) {
        JsonNode n = parent.get(name);
        if (Fields.absent(n)) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            in.malformed(name);
            return null;
        }
        return n.asInt();
    }

    private static Double number(JsonNode parent, String name, String field, Fields in) {
        JsonNode n = parent.get(name);
        if (Fields.absent(n)) {
            return null;
        }
        if (!n.isNumber()) {
            in.malformed(field);
            return null;
        }
        return n.asDouble();
    }
}
