package dev.fleetgate.proxy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Immutable, deterministically ordered copies for the spec records. */
final class Specs {
    private Specs() {}

    static <T> List<T> list(List<T> in) {
        return in == null ? List.of() : List.copyOf(in);
    }

    /**
     * Sorted by key: {@code Map.copyOf} iterates in an order salted per JVM, which would
     * change the JSON (and so the revision) of an unchanged spec after a restart.
     */
    static <V> Map<String, V> map(Map<String, V> in) {
        return in == null || in.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(in));
    }
}
