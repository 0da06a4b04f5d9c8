package dev.fleetgate.agent.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: 1 s doubling up to 30 s, each delay ±20 %.
 * Not thread-safe: one per loop.
 */
public final class Backoff {

    static final long INITIAL_MS = 1_000;
    static final long MAX_MS = 30_000;
    static final double JITTER = 0.2;

    private final DoubleSupplier random;
    private long nextMs = INITIAL_MS;

    public Backoff() {
        this(Math::random);
    }

    /** @param random values in [0, 1) */
    Backoff(DoubleSupplier random) {
        this.random = random;
    }

    /** @return the delay before the next attempt; the one after is twice as long (up to the maximum) */
    public Duration next() {
        long base = nextMs;
        nextMs = Math.min(MAX_MS, nextMs * 2);
        return jittered(base);
    }

    /** @return the maximum delay (with jitter); the following {@link #next()} stays at the maximum */
    public Duration max() {
        nextMs = MAX_MS;
        return jittered(MAX_MS);
    }

    /** Back to the initial delay, after a success. */
    public void reset() {
        nextMs = INITIAL_MS;
    }

    private Duration jittered(long base) {
        double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
        return Duration.ofMillis(Math.round(base * factor));
    }
}
