package dev.fleetgate.agent.metrics.internal;

import java.util.Map;

/** Where a built-in collector puts its samples (all stamped with the round's time). */
@FunctionalInterface
public interface Emitter {

    void emit(String name, Map<String, String> labels, double value);

    default void emit(String name, double value) {
        emit(name, Map.of(), value);
    }

    /** An emitter adding to {@code samples} at {@code time}. */
    static Emitter into(Samples samples, long time) {
        return (name, labels, value) -> samples.add(name, labels, time, value);
    }
}
