package dev.fleetgate.proxy.internal;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

final class Maps {
    private Maps() {}

    /** Sorted and unmodifiable, so that JSON made from it is the same on every JVM. */
    static Map<String, String> sorted(Map<String, String> in) {
        return in == null || in.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(in));
    }
}
