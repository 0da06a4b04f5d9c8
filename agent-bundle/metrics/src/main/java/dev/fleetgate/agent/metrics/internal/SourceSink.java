package dev.fleetgate.agent.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.fleetgate.agent.sdk.MetricSink;

/** The {@link MetricSink} given to a plugin's source: validates each sample, stamps the round's time. */
final class SourceSink implements MetricSink {

    private final Samples samples;
    private final long time;

    SourceSink(Samples samples, long time) {
        this.samples = samples;
        this.time = time;
    }

    @Override
    public void gauge(String name, double value, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels: names and values alternate, got an odd count " + labels.length);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        sample(name, map, value);
    }

    @Override
    public void sample(String name, Map<String, String> labels, double value) {
        if (!MetricNames.validName(name)) {
            throw new IllegalArgumentException("invalid metric name: " + name);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": value must be finite, got " + value);
        }
        if (labels.size() > MetricNames.MAX_LABELS - 1) {
            throw new IllegalArgumentException(name + ": at most " + (MetricNames.MAX_LABELS - 1) + " labels");
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!MetricNames.validLabel(label.getKey()) || "agent".equals(label.getKey())) {
                throw new IllegalArgumentException(name + ": invalid or reserved label name: " + label.getKey());
            }
            if (!MetricNames.validValue(label.getValue())) {
                throw new IllegalArgumentException(name + ": label " + label.getKey() + " needs a value of at most "
                        + MetricNames.MAX_LENGTH + " characters without control characters");
            }
        }
        samples.add(name, labels, time, value);
    }
}
