/**
 * Implementation of the logs module (not exported): log fetches through agent tasks.
 *
 * <p>The bundle headers are declared here: {@code Fleetgate-Module} makes the bundle a
 * module the core lists and can hot (un)deploy; Karaf's shell scans the package named by
 * {@code Karaf-Commands} for {@code @Service} commands.
 */
@Header(name = ModuleHeader.MODULE, value = "logs")
@Header(name = "Karaf-Commands", value = "dev.fleetgate.logs.command")
package dev.fleetgate.logs.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;
