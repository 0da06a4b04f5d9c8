package dev.fleetgate.metrics;

import java.util.Map;

/**
 * One stored series of a batch. The arrays are shared with the module and must not be
 * changed by event handlers.
 *
 * @param name       the metric name (Prometheus conventions)
 * @param labels     its labels, sorted by name, {@code agent} included
 * @param timestamps epoch milliseconds of the points, as sent
 * @param values     the points' values, same length as {@code timestamps}
 */
public record MetricSeries(String name, Map<String, String> labels, long[] timestamps, double[] values) {

    /** @return the point count */
    public int size() {
        return timestamps.length;
    }

    /** @return the value of the newest point (the largest timestamp), or NaN when empty */
    public double latest() {
        int best = -1;
        for (int i = 0; i < timestamps.length; i++) {
            if (best < 0 || timestamps[i] >= timestamps[best]) {
                best = i;
            }
        }
        return best < 0 ? Double.NaN : values[best];
    }
}
