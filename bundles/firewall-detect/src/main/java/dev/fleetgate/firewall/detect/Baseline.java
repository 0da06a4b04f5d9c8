package dev.fleetgate.firewall.detect;

/**
 * A decaying log-scale histogram of positive values (clients' request counts per window on one service): a robust
 * learned baseline whose quantiles (median, p99) do not move much when one client misbehaves. Fixed size
 * (96 bins of a quarter power of two: 1 … 2^24).
 */
final class Baseline {
    private static final int BINS = 96;
    private static final double DECAY = 0.9995; // per observation: ~2,000 observations of memory
    private final double[] bins = new double[BINS];
    private double weight = 1;
    private double total;
    private long observations;

    void add(double value) {
        int bin = value < 1 ? 0 : Math.min(BINS - 1, (int) (Math.log(value) / Math.log(2) * 4) + 1);
        weight /= DECAY;
        if (weight > 1e100) {
            for (int i = 0; i < BINS; i++) {
                bins[i] /= weight;
            }
            total /= weight;
            weight = 1;
        }
        bins[bin] += weight;
        total += weight;
        observations++;
    }

    long observations() {
        return observations;
    }

    /** @return the upper bound of the bin holding quantile {@code q}, or 0 with no observation */
    double quantile(double q) {
        if (total <= 0) {
            return 0;
        }
        double want = q * total;
        double sum = 0;
        for (int i = 0; i < BINS; i++) {
            sum += bins[i];
            if (sum >= want) {
                return i == 0 ? 1 : Math.pow(2, i / 4.0);
            }
        }
        return Math.pow(2, BINS / 4.0);
    }
}
