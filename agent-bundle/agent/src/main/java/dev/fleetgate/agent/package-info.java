/**
 * Fleetgate agent API: the extension points of the agent, and the base of the plugin SDK.
 *
 * <p>Agent bundles publish OSGi services that the runtime tracks (whiteboard):
 * <ul>
 * <li>{@link dev.fleetgate.agent.TaskHandler} with the service property
 * {@value dev.fleetgate.agent.TaskHandler#TYPE} runs one-off tasks of that type;</li>
 * <li>{@link dev.fleetgate.agent.StateApplier} with the service property
 * {@value dev.fleetgate.agent.StateApplier#SECTION} applies one section of the desired
 * state sent by the core.</li>
 * <li>{@link dev.fleetgate.agent.ServiceEndpoints} lists ready endpoints (container replicas)
 * that the proxy driver adds to upstreams without a reload, and is asked to
 * {@link dev.fleetgate.agent.ServiceEndpoints#wake wake} a service scaled to zero;</li>
 * <li>{@link dev.fleetgate.agent.AccessLogListener} receives the proxy's parsed access log;</li>
 * <li>{@link dev.fleetgate.agent.MetricsOutbox} hands metric batches to the sync and gets them
 * acknowledged or given back.</li>
 * </ul>
 * {@link dev.fleetgate.agent.Threads} makes the daemon executors of a bundle's background work.
 * {@link dev.fleetgate.agent.StorableText} makes text that goes into task results storable by the core.
 * They may use the {@link dev.fleetgate.agent.AgentContext} service, which the runtime
 * registers once the agent is enrolled.
 *
 * <p>Bundles deployed from the core carry the manifest header
 * {@value dev.fleetgate.agent.AgentContext#PLUGIN_HEADER}.
 */
@Export
@Version("1.5.0")
package dev.fleetgate.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
