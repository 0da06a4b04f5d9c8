package dev.fleetgate.agent.sdk;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of custom metrics (whiteboard service): the agent calls {@link #collect} every
 * interval, on its metrics thread.
 *
 * <pre>{@code
 * @Component(property = {MetricSource.NAME + "=entropy", MetricSource.INTERVAL + ":Integer=30"})
 * public class EntropySource implements MetricSource {
 *     public void collect(MetricSink sink) throws Exception {
 *         sink.gauge("host_entropy_available_bits", readEntropy());
 *     }
 * }
 * }</pre>
 *
 * <p>{@code collect} should return within a second or two: it runs on a small shared pool,
 * and a source still busy when its next round is due skips that round (counted in the
 * agent's {@code agent_metric_source_skipped_total}). An exception is logged once, counted in
 * {@code agent_metric_source_errors_total{source}}, and the source is called again at the
 * next interval. Samples of one round share one timestamp.
 */
@ConsumerType
public interface MetricSource {

    /** Service property: the source's name (letters, digits, {@code . _ -}); default the component name. */
    String NAME = "fleetgate.metric.source";

    /**
     * Service property: how often to collect, in seconds (an Integer, 1..3600); default the
     * agent's metrics interval (10 s unless the core says otherwise).
     */
    String INTERVAL = "fleetgate.metric.interval";

    /**
     * Adds this round's samples to the sink.
     *
     * @param sink where samples go; valid only during the call
     * @throws Exception the round is skipped (samples already added are kept)
     */
    void collect(MetricSink sink) throws Exception;
}
