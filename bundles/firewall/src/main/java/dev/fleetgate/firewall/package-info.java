/**
 * Fleetgate firewall (module 6, traffic analysis): blocks, detector settings and offline replay. The REST contract
 * is {@code /api/v1/firewall/blocks}, {@code /api/v1/firewall/settings} and {@code /api/v1/firewall/replay}; blocks
 * reach the agents in the desired-state section {@code firewall}. Events: {@link dev.fleetgate.firewall.FirewallEvents}.
 */
@Export
@Version("1.0.0")
package dev.fleetgate.firewall;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
