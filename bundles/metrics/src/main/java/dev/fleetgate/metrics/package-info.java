/**
 * Metrics module API: what the module posts on EventAdmin after storing a batch.
 *
 * <p>After each stored batch the module posts {@link dev.fleetgate.api.Topics#METRICS_BATCH}
 * ({@code fleetgate/metrics/batch}) with the properties {@code agentId}, {@code series}
 * (a {@code List<MetricSeries>}, every series labelled {@code agent=<agentId>}) and
 * {@code points} (Integer). Alerting and scaling modules subscribe to it instead of
 * importing this module's implementation.
 */
@Export
@Version("1.0.0")
package dev.fleetgate.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
