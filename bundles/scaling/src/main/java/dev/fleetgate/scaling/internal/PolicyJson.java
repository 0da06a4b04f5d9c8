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

    static final Set<String> KNOWN = Set.of(
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
    static final Set<String> TARGETS =
            Set.of("rpsPerReplica", "p95Ms", "inFlightPerReplica", "cpuPercent", "memoryPercent");

    private PolicyJson() {}

    /**
     * Reads a policy: the body into a {@link PolicyDraft}, then {@link PolicyDraft#validate validated}; errors go
     * into {@code in} (the caller {@link Fields#check() checks}).
     *
     * @return the policy, or null when {@code in} has errors
     */
    public static Policy read(JsonNode body, Fields in) {
        if (body == null || !body.isObject()) {
            in.error("body", "must be a JSON object");
            return null;
        }
        return PolicyDraft.read(body, in).validate(in);
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
