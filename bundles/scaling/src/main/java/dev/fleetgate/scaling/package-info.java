/**
 * Fleetgate scaling (module 2): closed-loop autoscaling of services with managed containers. The REST contract is
 * {@code /api/v1/services/{id}/autoscaling} and {@code /api/v1/services/{id}/autoscaling/decisions}; replica
 * changes go through the proxy module's {@code ServiceDirectory}; signals come from the metrics module's
 * {@code fleetgate/metrics/batch} events. {@link dev.fleetgate.scaling.ScalingEvents} names the alert kinds.
 */
@Export
@Version("1.1.0")
package dev.fleetgate.scaling;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
