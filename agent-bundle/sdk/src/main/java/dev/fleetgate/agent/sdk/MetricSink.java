package dev.fleetgate.agent.sdk;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives the samples of one {@link MetricSource#collect} call; the agent stamps them with
 * the collection time.
 *
 * <p>Names follow Prometheus conventions: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, a unit suffix
 * ({@code _bytes}, {@code _seconds}, {@code _percent}) and {@code _total} for counters
 * (cumulative values; the core's query API computes their rate). Label names match
 * {@code [a-zA-Z_][a-zA-Z0-9_]*}; {@code agent} is reserved (the core sets it). Values must be
 * finite. An invalid sample throws {@link IllegalArgumentException}.
 */
@ProviderType
public interface MetricSink {

    /**
     * Adds a sample.
     *
     * @param name   metric name
     * @param value  the value
     * @param labels label names and values, alternating: {@code "mount", "/", "kind", "ext4"}
     */
    void gauge(String name, double value, String... labels);

    /**
     * Adds a sample of a cumulative counter (the name should end with {@code _total}).
     *
     * @see #gauge(String, double, String...)
     */
    default void counter(String name, double total, String... labels) {
        gauge(name, total, labels);
    }

    /**
     * Adds a sample with labels given as a map.
     *
     * @param name   metric name
     * @param labels label values by name (may be empty)
     * @param value  the value
     */
    void sample(String name, Map<String, String> labels, double value);
}
