package dev.fleetgate.bench;

import java.util.Arrays;

/** Latency samples in microseconds and their percentiles. */
final class Stats {
    private long[] values = new long[1024];
    private int n;

    synchronized void add(long micros) {
        if (n == values.length) {
            values = Arrays.copyOf(values, n * 2);
        }
        values[n++] = micros;
    }

    /** Adds every sample of {@code other}. */
    void addAll(Stats other) {
        long[] copy;
        int m;
        synchronized (other) {
            copy = Arrays.copyOf(other.values, other.n);
            m = other.n;
        }
        for (int i = 0; i < m; i++) {
            add(copy[i]);
        }
    }

    synchronized int count() {
        return n;
    }

    synchronized double percentileMillis(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int i = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
        return sorted[i] / 1000.0;
    }

    String summary() {
        return String.format(
                "n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms",
                count(), percentileMillis(50), percentileMillis(90), percentileMillis(99), percentileMillis(100));
    }
}
