package dev.fleetgate.metrics.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The series each agent sent before, by the exact bytes it sent their {@code name} and
 * {@code labels} with: an agent sends the same series in the same bytes at every sync, so its
 * next batch finds each series' key and id by one hash of those bytes and one comparison of two
 * byte arrays — no label map, no name checks, no lookup of a freshly built key in the registry.
 * And every batch then hands the same {@link SeriesKey} instance to the registry and the latest
 * cache, whose lookups end at {@code ==} instead of comparing a dozen strings spread over the heap
 * (those two lookups were a fifth of the core's CPU for 100-series syncs, `perf`, 2026-12-05).
 *
 * <p>Only bytes that {@link FastBatchReader} read and accepted in full are remembered, with the
 * key and id they resolved to, so a hit gives what parsing them again would. Series ids are never
 * reused, so a remembered id stays right. Past {@value #MAX_ENTRIES} entries the index starts over.
 */
final class SentSeries {
    /** Entries kept at most over all agents (~200 bytes each). */
    static final int MAX_ENTRIES = 1_000_000;

    /** A series' key and id. */
    record Known(SeriesKey key, long id) {}

    /**
     * Bytes of a series object from just after its {@code '{'} to its {@code "points"} field.
     * Stored spans own their array; a probe looks at the request's bytes in place.
     */
    static final class Span implements Comparable<Span> {
        private final byte[] bytes;
        private final int from;
        private final int to;
        private final int hash;

        private Span(byte[] bytes, int from, int to, int hash) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            this.hash = hash;
        }

        /**
         * A polynomial hash with a multiplier drawn at start, so that an agent cannot simply craft
         * many series whose bytes collide (with {@code 31} it could). Some byte strings collide for
         * every multiplier; for those, spans are {@link Comparable}, so a crowded bin of the map
         * becomes a tree searched in log time rather than a list scanned.
         */
        private static final long MULTIPLIER = new java.security.SecureRandom().nextLong() | 1L;

        static Span probe(byte[] bytes, int from, int to) {
            long h = to - from;
            for (int i = from; i < to; i++) {
                h = h * MULTIPLIER + bytes[i];
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            return new Span(bytes, from, to, (int) h);
        }

        /** @return a span with its own copy of the bytes, fit to be stored */
        Span copy() {
            return new Span(Arrays.copyOfRange(bytes, from, to), 0, to - from, hash);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(Span o) {
            return Arrays.compare(bytes, from, to, o.bytes, o.from, o.to);
        }

        @Override
        public boolean equals(Object o) {
            return this == o
                    || (o instanceof Span s && s.hash == hash && Arrays.equals(bytes, from, to, s.bytes, s.from, s.to));
        }
    }

    private final Map<String, Map<Span, Known>> byAgent = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    /** @return the agent's remembered series, or null when it has none */
    Map<Span, Known> of(String agentId) {
        return byAgent.get(agentId);
    }

    /** Remembers what {@code span} (a stored copy) resolved to. */
    void remember(String agentId, Span span, Known known) {
        if (size.get() >= MAX_ENTRIES) {
            byAgent.clear();
            size.set(0);
        }
        if (byAgent.computeIfAbsent(agentId, a -> new ConcurrentHashMap<>()).put(span, known) == null) {
            size.incrementAndGet();
        }
    }

    int size() {
        return size.get();
    }
}
