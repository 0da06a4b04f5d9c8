/**
 * Fleetgate uptime monitors: the states a monitor can be in. The REST contract is
 * {@code /api/v1/monitors}; other modules hear of a monitor going down through the alert
 * event {@code monitor.down} (subject: the monitor id).
 */
@Export
@Version("1.0.0")
package dev.fleetgate.monitors;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
