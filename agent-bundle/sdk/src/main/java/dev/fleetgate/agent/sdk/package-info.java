/**
 * Fleetgate agent plugin SDK: custom metrics.
 *
 * <p>A plugin is an OSGi bundle that registers a {@link dev.fleetgate.agent.sdk.MetricSource}
 * service (with Declarative Services: {@code @Component}). The agent's metrics bundle calls
 * it every interval with a {@link dev.fleetgate.agent.sdk.MetricSink}; the samples reach the
 * core with the agent's own metrics, labelled with {@code agent} by the core. See the SDK
 * README for the whole walk-through: write, build, upload, deploy.
 */
@Export
@Version("1.0.0")
package dev.fleetgate.agent.sdk;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
