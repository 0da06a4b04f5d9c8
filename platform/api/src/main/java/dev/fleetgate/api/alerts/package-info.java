/**
 * Alert events: how any module reports a condition (agent offline, proxy apply failed,
 * replica crash loop, certificate expiring, …) to the alerts module without depending on it.
 *
 * <p>A module posts an OSGi EventAdmin event on {@link dev.fleetgate.api.alerts.AlertTopics#FIRING}
 * when a condition starts (or is still true) and on
 * {@link dev.fleetgate.api.alerts.AlertTopics#CLEARED} when it ends. Build the properties with
 * {@link dev.fleetgate.api.alerts.AlertEvent}:
 *
 * <pre>
 * events.postEvent(new Event(AlertTopics.FIRING,
 *         AlertEvent.firing("agent.offline", agentId).severity(Severity.CRITICAL)
 *                 .message("Agent web-1 is offline").label("agent", agentId).toProperties()));
 * </pre>
 *
 * <p>Properties (keys in {@link dev.fleetgate.api.alerts.AlertEvent}):
 * <ul>
 * <li>{@code kind} (String, required): what happened, dotted lower case, e.g.
 * {@code agent.offline}, {@code proxy.apply.failed}; event rules match on it.</li>
 * <li>{@code subject} (String, required): what it happened to, e.g. an agent or service id; one
 * incident is open per (rule, subject) at a time.</li>
 * <li>{@code state} (String, required): {@code firing} or {@code cleared}.</li>
 * <li>{@code severity} (String): {@code info}, {@code warning} (default) or {@code critical}.</li>
 * <li>{@code value} (Double, optional): a measured value.</li>
 * <li>{@code message} (String, optional): one line for people.</li>
 * <li>{@code labels} (Map&lt;String, String&gt;, optional): extra details.</li>
 * <li>{@code occurredAt} (Long, epoch milliseconds): when it happened (default: when built).</li>
 * </ul>
 * Posting the same firing event again while the incident is open changes nothing but its
 * "last seen" time and value; a cleared event for a subject without an open incident is ignored.
 */
@Export
@Version("1.0.0")
package dev.fleetgate.api.alerts;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
