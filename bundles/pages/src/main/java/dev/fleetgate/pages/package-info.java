/**
 * Fleetgate pages (module 5): error, maintenance and no-upstream pages. The REST contract is
 * {@code /api/v1/pages}, {@code /api/v1/services/{id}/pages} and {@code /api/v1/services/{id}/maintenance};
 * pages reach the agents through the proxy module's {@code ProxySpecContributor}.
 */
@Export
@Version("1.0.0")
package dev.fleetgate.pages;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
