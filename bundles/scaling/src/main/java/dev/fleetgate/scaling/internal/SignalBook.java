package dev.fleetgate.scaling.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.fleetgate.metrics.MetricSeries;

/**
 * The newest per-agent samples of each service, taken from the metric batches the agents send (the metrics
 * module's {@code fleetgate/metrics/batch} events), and their service-wide combination.
 *
 * <p>A batch's time is its newest point. A batch not newer than the last one taken from the same agent (a batch
 * resent after a lost answer, a replay of the agent's disk buffer) is ignored. A service placed on the agent with
 * no {@code service_*} series in a newer batch had no request in that interval (rate 0).
 *
 * <p>Series read: {@code service_requests_per_second}, {@code service_response_time_seconds} (quantiles 0.5 and
 * 0.95), {@code service_5xx_ratio_percent}, {@code container_cpu_usage_percent} (divided by the replica's CPU limit
 * in cores, else by the host's {@code host_cpu_count}: 100 % = the whole allowance), {@code
 * container_memory_used_bytes} / {@code container_memory_limit_bytes} (replicas without a limit give none).
 */
final class SignalBook {
    /** Memory limits from this size up mean "none" (cgroup v1 reports a huge number). */
    private static final double NO_LIMIT = 1L << 60;

    /** One agent's view of one service at one batch time. */
    record AgentSample(
            long at,
            double rps,
            Double p95Ms,
            Double p50Ms,
            Double errorPercent,
            double cpuSum,
            int cpuCount,
            double memorySum,
            int memoryCount) {}

    private final Map<String, Long> lastBatchAt = new ConcurrentHashMap<>();
    private final Map<String, Double> hostCores = new ConcurrentHashMap<>();
    /** service id → agent id → newest sample. */
    private final Map<String, Map<String, AgentSample>> samples = new ConcurrentHashMap<>();

    /**
     * Takes a batch.
     *
     * @param services the ids of the services (with a policy) placed on this agent
     * @param cpuLimit a service's CPU limit per replica in cores, or null
     * @return false when the batch was not newer than the last one from this agent (ignored)
     */
    boolean accept(
            String agentId, List<MetricSeries> series, Collection<String> services, Function<String, Double> cpuLimit) {
        long newest = Long.MIN_VALUE;
        for (MetricSeries s : series) {
            for (long t : s.timestamps()) {
                newest = Math.max(newest, t);
            }
        }
        if (newest == Long.MIN_VALUE) {
            return false;
        }
        Long last = lastBatchAt.get(agentId);
        if (last != null && newest <= last) {
            return false;
        }
        lastBatchAt.put(agentId, newest);

        Map<String, double[]> rps = new HashMap<>();
        Map<String, Double> p95 = new HashMap<>();
        Map<String, Double> p50 = new HashMap<>();
        Map<String, Double> err = new HashMap<>();
        Map<String, Map<String, Double>> cpu = new HashMap<>();
        Map<String, Map<String, Double>> memUsed = new HashMap<>();
        Map<String, Map<String, Double>> memLimit = new HashMap<>();
        for (MetricSeries s : series) {
            double v = s.latest();
            if (!Double.isFinite(v)) {
                continue;
            }
            String svc = s.labels().get("service");
            switch (s.name()) {
                case "host_cpu_count" -> {
                    if (v >= 1) {
                        hostCores.put(agentId, v);
                    }
                }
                case "service_requests_per_second" -> {
                    if (svc != null) {
                        rps.computeIfAbsent(svc, k -> new double[1])[0] += v;
                    }
                }
                case "service_response_time_seconds" -> {
                    String q = s.labels().get("quantile");
                    if (svc != null && "0.95".equals(q)) {
                        p95.put(svc, v * 1000);
                    } else if (svc != null && "0.5".equals(q)) {
                        p50.put(svc, v * 1000);
                    }
                }
                case "service_5xx_ratio_percent" -> {
                    if (svc != null) {
                        err.put(svc, v);
                    }
                }
                case "container_cpu_usage_percent" -> perContainer(cpu, svc, s, v);
                case "container_memory_used_bytes" -> perContainer(memUsed, svc, s, v);
                case "container_memory_limit_bytes" -> perContainer(memLimit, svc, s, v);
                default -> {}
            }
        }
        Double cores = hostCores.get(agentId);
        for (String svc : services) {
            double cpuSum = 0;
            int cpuCount = 0;
            Double limit = cpuLimit.apply(svc);
            double allowance = limit != null && limit > 0 ? limit : cores != null ? cores : Double.NaN;
            for (double c : cpu.getOrDefault(svc, Map.of()).values()) {
                if (Double.isFinite(allowance)) {
                    cpuSum += c / allowance;
                    cpuCount++;
                }
            }
            double memSum = 0;
            int memCount = 0;
            Map<String, Double> limits = memLimit.getOrDefault(svc, Map.of());
            for (Map.Entry<String, Double> m :
                    memUsed.getOrDefault(svc, Map.of()).entrySet()) {
                Double l = limits.get(m.getKey());
                if (l != null && l > 0 && l < NO_LIMIT) {
                    memSum += 100 * m.getValue() / l;
                    memCount++;
                }
            }
            double[] r = rps.get(svc);
            samples.computeIfAbsent(svc, k -> new ConcurrentHashMap<>())
                    .put(
                            agentId,
                            new AgentSample(
                                    newest,
                                    r == null ? 0 : r[0],
                                    p95.get(svc),
                                    p50.get(svc),
                                    err.get(svc),
                                    cpuSum,
                                    cpuCount,
                                    memSum,
                                    memCount));
        }
        return true;
    }

    private static void perContainer(Map<String, Map<String, Double>> into, String svc, MetricSeries s, double v) {
        String container = s.labels().get("container");
        if (svc != null && container != null) {
            into.computeIfAbsent(svc, k -> new HashMap<>()).put(container, v);
        }
    }

    /** @return the newest sample of a service from an agent, or null */
    AgentSample sample(String serviceId, String agentId) {
        return samples.getOrDefault(serviceId, Map.of()).get(agentId);
    }

    /**
     * @param agents the agents the service is placed on (each has a sample)
     * @return the service-wide signals from the agents' newest samples
     */
    Signals combine(String serviceId, Collection<String> agents) {
        long at = Long.MIN_VALUE;
        double rps = 0;
        Double p95 = null;
        double inFlight = 0;
        boolean inFlightKnown = false;
        double cpuSum = 0;
        int cpuCount = 0;
        double memSum = 0;
        int memCount = 0;
        double errWeighted = 0;
        Double errMax = null;
        for (String a : agents) {
            AgentSample s = sample(serviceId, a);
            if (s == null) {
                continue;
            }
            at = Math.max(at, s.at());
            rps += s.rps();
            if (s.p95Ms() != null) {
                p95 = p95 == null ? s.p95Ms() : Math.max(p95, s.p95Ms());
            }
            if (s.p50Ms() != null) {
                inFlight += s.rps() * s.p50Ms() / 1000;
                inFlightKnown = true;
            } else if (s.rps() == 0) {
                inFlightKnown = true;
            }
            cpuSum += s.cpuSum();
            cpuCount += s.cpuCount();
            memSum += s.memorySum();
            memCount += s.memoryCount();
            if (s.errorPercent() != null) {
                errWeighted += s.errorPercent() * s.rps();
                errMax = errMax == null ? s.errorPercent() : Math.max(errMax, s.errorPercent());
            }
        }
        Double error = errMax == null ? null : rps > 0 ? errWeighted / rps : errMax;
        return new Signals(
                at,
                rps,
                p95,
                inFlightKnown ? inFlight : null,
                cpuCount == 0 ? null : cpuSum / cpuCount,
                memCount == 0 ? null : memSum / memCount,
                error);
    }

    /** Forgets a service. */
    void forget(String serviceId) {
        samples.remove(serviceId);
    }
}
