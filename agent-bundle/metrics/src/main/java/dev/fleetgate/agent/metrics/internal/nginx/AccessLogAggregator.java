package dev.fleetgate.agent.metrics.internal.nginx;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import dev.fleetgate.agent.AccessLogEntry;
import dev.fleetgate.agent.metrics.internal.Emitter;

/**
 * Aggregates the proxy's access log per service over one interval: request and response-class
 * rates, response rates per status code ({@code service_responses_by_code_per_second}, at most
 * {@value #MAX_CODES} codes per service, the rest under {@code code="other"}), the share of 5xx
 * answers ({@code service_5xx_ratio_percent}, 0 without requests), bytes sent, and p50/p95/p99
 * of request and upstream times (from a bounded reservoir sample per service, exact below
 * {@value #RESERVOIR} requests per interval). Requests that matched no service are counted
 * under {@code nginx_unmatched_requests_per_second}.
 */
public final class AccessLogAggregator {

    static final int RESERVOIR = 4096;
    /** Distinct status codes labelled per service (label cardinality bound); more go to {@code other}. */
    static final int MAX_CODES = 16;

    static final String OTHER_CODE = "other";
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private static final String[] QUANTILE_LABELS = {"0.5", "0.95", "0.99"};

    private static final class Window {
        long requests;
        final long[] classes = new long[6];
        final Map<String, Long> codes = new HashMap<>();
        long bytes;
        final Reservoir requestTimes = new Reservoir();
        final Reservoir upstreamTimes = new Reservoir();
    }

    /** Algorithm R: a uniform sample of at most {@value #RESERVOIR} values. */
    static final class Reservoir {
        double[] values = new double[64];
        int size;
        long seen;

        void add(double value, SplittableRandom random) {
            seen++;
            if (size < RESERVOIR) {
                if (size == values.length) {
                    values = Arrays.copyOf(values, Math.min(RESERVOIR, size * 2));
                }
                values[size++] = value;
            } else {
                long slot = random.nextLong(seen);
                if (slot < RESERVOIR) {
                    values[(int) slot] = value;
                }
            }
        }

        /** Nearest-rank quantiles of the sample. */
        double[] quantiles(double[] qs) {
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            double[] out = new double[qs.length];
            for (int i = 0; i < qs.length; i++) {
                int rank = (int) Math.ceil(qs[i] * size);
                out[i] = sorted[Math.max(0, Math.min(size - 1, rank - 1))];
            }
            return out;
        }
    }

    private final SplittableRandom random = new SplittableRandom();
    /** Services seen, with the number of intervals since their last request (forgotten after {@value #IDLE_ROUNDS}). */
    private final Map<String, Integer> known = new HashMap<>();

    static final int IDLE_ROUNDS = 60;
    /** Status codes labelled per known service (reported, 0 when absent, until the service is forgotten). */
    private final Map<String, Set<String>> knownCodes = new HashMap<>();

    private Map<String, Window> windows = new HashMap<>();
    private long unmatched;
    private long windowStartNanos;

    public AccessLogAggregator(long nanos) {
        this.windowStartNanos = nanos;
    }

    /** Called on the log reader's thread: cheap, never throws. */
    public synchronized void add(List<AccessLogEntry> entries) {
        for (AccessLogEntry e : entries) {
            if (e.serviceId() == null || e.serviceId().isEmpty()) {
                unmatched++;
                continue;
            }
            Window w = windows.computeIfAbsent(e.serviceId(), id -> new Window());
            w.requests++;
            int cls = e.status() / 100;
            w.classes[cls >= 1 && cls <= 5 ? cls : 0]++;
            w.codes.merge(code(e.serviceId(), e.status()), 1L, Long::sum);
            w.bytes += Math.max(0, e.bytesSent());
            w.requestTimes.add(e.requestTimeSeconds(), random);
            if (e.upstreamTimeSeconds() != null) {
                w.upstreamTimes.add(e.upstreamTimeSeconds(), random);
            }
        }
    }

    /** The {@code code} label of a status: the code while the service has fewer than {@value #MAX_CODES}. */
    private String code(String service, int status) {
        String code = status >= 100 && status <= 599 ? Integer.toString(status) : OTHER_CODE;
        Set<String> codes = knownCodes.computeIfAbsent(service, s -> new HashSet<>());
        if (codes.contains(code) || codes.size() < MAX_CODES) {
            codes.add(code);
            return code;
        }
        codes.add(OTHER_CODE); // the bound is MAX_CODES + 1 labels
        return OTHER_CODE;
    }

    /** Emits the interval that ends now and starts a new one. */
    public void flush(Emitter out, long nanos) {
        Map<String, Window> taken;
        long unmatchedTaken;
        double seconds;
        synchronized (this) {
            taken = windows;
            windows = new HashMap<>();
            unmatchedTaken = unmatched;
            unmatched = 0;
            seconds = (nanos - windowStartNanos) / 1e9;
            windowStartNanos = nanos;
            known.replaceAll((service, idle) -> idle + 1);
            taken.keySet().forEach(service -> known.put(service, 0));
            known.values().removeIf(idle -> idle > IDLE_ROUNDS);
            knownCodes.keySet().retainAll(known.keySet());
        }
        if (seconds <= 0) {
            return;
        }
        out.emit("nginx_unmatched_requests_per_second", unmatchedTaken / seconds);
        for (String service : knownServices()) {
            Window w = taken.getOrDefault(service, new Window());
            Map<String, String> labels = Map.of("service", service);
            out.emit("service_requests_per_second", labels, w.requests / seconds);
            out.emit("service_sent_bytes_per_second", labels, w.bytes / seconds);
            for (int cls = 1; cls <= 5; cls++) {
                out.emit(
                        "service_responses_per_second",
                        Map.of("service", service, "status", cls + "xx"),
                        w.classes[cls] / seconds);
            }
            for (String code : knownCodes(service)) {
                out.emit(
                        "service_responses_by_code_per_second",
                        Map.of("service", service, "code", code),
                        w.codes.getOrDefault(code, 0L) / seconds);
            }
            out.emit("service_5xx_ratio_percent", labels, w.requests == 0 ? 0 : 100.0 * w.classes[5] / w.requests);
            quantiles(out, "service_response_time_seconds", service, w.requestTimes);
            quantiles(out, "service_upstream_response_time_seconds", service, w.upstreamTimes);
        }
    }

    private synchronized Set<String> knownServices() {
        return new HashSet<>(known.keySet());
    }

    private synchronized Set<String> knownCodes(String service) {
        return new TreeSet<>(knownCodes.getOrDefault(service, Set.of()));
    }

    private static void quantiles(Emitter out, String name, String service, Reservoir r) {
        if (r.size == 0) {
            return;
        }
        double[] q = r.quantiles(QUANTILES);
        for (int i = 0; i < q.length; i++) {
            out.emit(name, Map.of("service", service, "quantile", QUANTILE_LABELS[i]), q[i]);
        }
    }
}
