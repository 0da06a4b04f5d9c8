package dev.fleetgate.scaling.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service-wide view of its signals at one sample time (the agents' own timestamps). Null = unknown.
 *
 * @param at            epoch millis of the newest sample this view is made of
 * @param rps           requests per second, all agents together
 * @param p95Ms         the highest p95 response time among the agents (ms)
 * @param inFlight      estimated requests in flight, all agents together (rate × median time)
 * @param cpuPercent    mean CPU of the replicas, % of their limit (or of their host's cores)
 * @param memoryPercent mean memory of the replicas, % of their limit
 * @param errorPercent  share of the answers that were 5xx
 */
public record Signals(
        long at,
        Double rps,
        Double p95Ms,
        Double inFlight,
        Double cpuPercent,
        Double memoryPercent,
        Double errorPercent) {

    /** Only a request rate (tests, traces). */
    public static Signals rps(long at, double rps) {
        return new Signals(at, rps, null, null, null, null, null);
    }

    /** @return the known values by name, for the decision record */
    public Map<String, Double> values() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "rps", rps);
        put(m, "p95Ms", p95Ms);
        put(m, "inFlight", inFlight);
        put(m, "cpuPercent", cpuPercent);
        put(m, "memoryPercent", memoryPercent);
        put(m, "errorPercent", errorPercent);
        return m;
    }

    private static void put(Map<String, Double> m, String k, Double v) {
        if (v != null) {
            m.put(k, Math.round(v * 100) / 100.0);
        }
    }
}
