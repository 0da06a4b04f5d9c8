/**
 * Alerts module API: the notification channel whiteboard.
 *
 * <p>Each channel type (telegram, email, webhook, …) is one {@link dev.fleetgate.alerts.NotificationChannel}
 * service; the module finds it by {@link dev.fleetgate.alerts.NotificationChannel#type()}. Other modules
 * raise alerts through {@code dev.fleetgate.api.alerts} (EventAdmin), not through this package.
 */
@Export
@Version("1.0.0")
package dev.fleetgate.alerts;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
