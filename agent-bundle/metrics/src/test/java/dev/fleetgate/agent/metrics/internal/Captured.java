package dev.fleetgate.agent.metrics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link Emitter} that keeps what it is given, for assertions. */
public final class Captured implements Emitter {

    public record Sample(String name, Map<String, String> labels, double value) {}

    public final List<Sample> samples = new ArrayList<>();

    @Override
    public synchronized void emit(String name, Map<String, String> labels, double value) {
        samples.add(new Sample(name, Map.copyOf(labels), value));
    }

    public synchronized List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the sample with this name whose labels include all of {@code labels}. */
    public synchronized Optional<Double> value(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value)
                .findFirst();
    }

    public double get(String name, Map<String, String> labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no " + name + labels + " in " + samples));
    }

    public double get(String name) {
        return get(name, Map.of());
    }

    public synchronized void clear() {
        samples.clear();
    }
}
