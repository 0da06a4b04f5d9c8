package dev.fleetgate.scaling.internal;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.input.Fields;

/** The JSON form of a {@link Policy}: read with every error collected (400 with the fields), written back. */
public final class PolicyJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** Highest service-wide replica count a policy may name (100 per agent on up to 10 agents). */
    public static final int MAX_TOTAL = 1000;

    private static final Set<String> KNOWN = Set.of(
            "enabled",
            "minReplicas",
            "maxReplicas",
            "targets",
            "max5xxPercent",
            "scaleUpStabilizationSeconds",
            "scaleDownStabilizationSeconds",
            "tolerancePercent",
            "maxScaleUpStep",
            "maxScaleDownStep",
            "cooldownSeconds",
            "scaleToZeroAfterSeconds",
            "manualPauseSeconds",
            "sampleMaxAgeSeconds",
            "maxHeldRequests",
            "startingPageAfterMs",
            // answered by GET; accepted back so that a GET → PUT round trip works
            "serviceId",
            "pausedUntil",
            "pausedBy",
            "updatedAt");
    private static final Set<String> TARGETS =
            Set.of("rpsPerReplica", "p95Ms", "inFlightPerReplica", "cpuPercent", "memoryPercent");

    private PolicyJson() {}

    /**
     * Reads a policy; errors go into {@code in} (the caller {@link Fields#check() checks}).
     *
     * @return the policy, or null when {@code in} has errors
     */
    public static Policy read(JsonNode body, Fields in) {
        if (body == null || !body.isObject()) {
            in.error("body", "must be a JSON object");
            return null;
        }
        in.unknown(body, KNOWN, "");
        boolean enabled = in.bool(body, "enabled", "enabled", true);
        // 0 only with scaleToZeroAfterSeconds (checked below): the loop then stops the last replica when idle
        Integer min = in.requiredInteger(body, "minReplicas", "minReplicas", 0, MAX_TOTAL);
        Integer max = in.requiredInteger(body, "maxReplicas", "maxReplicas", 1, MAX_TOTAL);
        if (min != null && max != null && max < min) {
            in.error("maxReplicas", "must be at least minReplicas (" + min + ")");
        }
        JsonNode t = in.object(body, "targets", "targets", false);
        Policy.Targets targets = Policy.Targets.NONE;
        if (t != null) {
            in.unknown(t, TARGETS, "targets");
            targets = new Policy.Targets(
                    in.number(t, "rpsPerReplica", "targets.rpsPerReplica", 0.01, 1e6),
                    in.number(t, "p95Ms", "targets.p95Ms", 1, 600_000),
                    in.number(t, "inFlightPerReplica", "targets.inFlightPerReplica", 0.01, 1e5),
                    in.number(t, "cpuPercent", "targets.cpuPercent", 1, 100),
                    in.number(t, "memoryPercent", "targets.memoryPercent", 1, 100));
        }
        if (enabled && !targets.any() && in.ok()) {
            in.error("targets", "needs at least one of " + String.join(", ", new java.util.TreeSet<>(TARGETS)));
        }
        Double guard = body.has("max5xxPercent")
                ? in.number(body, "max5xxPercent", "max5xxPercent", 1, 100)
                : Double.valueOf(Policy.DEFAULT_MAX_5XX);
        int up = or(in.integer(
                body, "scaleUpStabilizationSeconds", "scaleUpStabilizationSeconds", 0, 3600, Policy.DEFAULT_UP_WINDOW));
        int down = or(in.integer(
                body,
                "scaleDownStabilizationSeconds",
                "scaleDownStabilizationSeconds",
                0,
                3600,
                Policy.DEFAULT_DOWN_WINDOW));
        Double tol = in.number(body, "tolerancePercent", "tolerancePercent", 0, 50);
        int upStep = or(in.integer(body, "maxScaleUpStep", "maxScaleUpStep", 1, MAX_TOTAL, Policy.DEFAULT_UP_STEP));
        int downStep =
                or(in.integer(body, "maxScaleDownStep", "maxScaleDownStep", 1, MAX_TOTAL, Policy.DEFAULT_DOWN_STEP));
        int cooldown = or(in.integer(body, "cooldownSeconds", "cooldownSeconds", 0, 3600, Policy.DEFAULT_COOLDOWN));
        Integer zero = in.integer(body, "scaleToZeroAfterSeconds", "scaleToZeroAfterSeconds", 10, 86_400, null);
        if (min != null && min == 0 && zero == null) {
            in.error("minReplicas", "may be 0 only with scaleToZeroAfterSeconds");
        }
        int held = or(in.integer(body, "maxHeldRequests", "maxHeldRequests", 1, 10_000, Policy.DEFAULT_MAX_HELD));
        int startingAfter = or(in.integer(
                body,
                "startingPageAfterMs",
                "startingPageAfterMs",
                100,
                600_000,
                Policy.DEFAULT_STARTING_PAGE_AFTER_MS));
        int pause = or(
                in.integer(body, "manualPauseSeconds", "manualPauseSeconds", 0, 86_400, Policy.DEFAULT_MANUAL_PAUSE));
        int maxAge = or(
                in.integer(body, "sampleMaxAgeSeconds", "sampleMaxAgeSeconds", 5, 600, Policy.DEFAULT_SAMPLE_MAX_AGE));
        if (!in.ok()) {
            return null;
        }
        return new Policy(
                enabled,
                min,
                max,
                targets,
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

    /** @return the policy's JSON (every setting, the defaults filled in) */
    public static ObjectNode write(Policy p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("enabled", p.enabled());
        o.put("minReplicas", p.minReplicas());
        o.put("maxReplicas", p.maxReplicas());
        ObjectNode t = o.putObject("targets");
        Policy.Targets ts = p.targets();
        putIf(t, "rpsPerReplica", ts.rpsPerReplica());
        putIf(t, "p95Ms", ts.p95Ms());
        putIf(t, "inFlightPerReplica", ts.inFlightPerReplica());
        putIf(t, "cpuPercent", ts.cpuPercent());
        putIf(t, "memoryPercent", ts.memoryPercent());
        if (p.max5xxPercent() == null) {
            o.putNull("max5xxPercent");
        } else {
            o.put("max5xxPercent", p.max5xxPercent());
        }
        o.put("scaleUpStabilizationSeconds", p.scaleUpStabilizationSeconds());
        o.put("scaleDownStabilizationSeconds", p.scaleDownStabilizationSeconds());
        o.put("tolerancePercent", p.tolerancePercent());
        o.put("maxScaleUpStep", p.maxScaleUpStep());
        o.put("maxScaleDownStep", p.maxScaleDownStep());
        o.put("cooldownSeconds", p.cooldownSeconds());
        if (p.scaleToZeroAfterSeconds() == null) {
            o.putNull("scaleToZeroAfterSeconds");
        } else {
            o.put("scaleToZeroAfterSeconds", p.scaleToZeroAfterSeconds());
        }
        o.put("manualPauseSeconds", p.manualPauseSeconds());
        o.put("sampleMaxAgeSeconds", p.sampleMaxAgeSeconds());
        o.put("maxHeldRequests", p.maxHeldRequests());
        o.put("startingPageAfterMs", p.startingPageAfterMs());
        return o;
    }

    private static void putIf(ObjectNode o, String k, Double v) {
        if (v != null) {
            o.put(k, v);
        }
    }
}
