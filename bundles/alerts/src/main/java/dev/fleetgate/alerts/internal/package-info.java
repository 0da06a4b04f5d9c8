/**
 * Implementation of the alerts module (not exported): store, incident engine, outbox
 * dispatcher, channels, templates.
 *
 * <p>The bundle headers are declared here: {@code Fleetgate-Module} makes the bundle a module
 * the core lists and can hot (un)deploy. ({@code Karaf-Commands} is set for every bundle by the parent pom.)
 */
@Header(name = ModuleHeader.MODULE, value = "alerts")
package dev.fleetgate.alerts.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;
