/**
 * Implementation of the metrics module (not exported).
 *
 * <p>{@code Fleetgate-Module} makes the bundle a module the core lists and can hot (un)deploy.
 */
@Header(name = ModuleHeader.MODULE, value = "metrics")
package dev.fleetgate.metrics.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;
