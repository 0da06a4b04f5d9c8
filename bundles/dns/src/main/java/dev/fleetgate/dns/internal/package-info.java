/**
 * Implementation of the DNS module (not exported).
 *
 * <p>The bundle headers are declared here: {@code Fleetgate-Module} makes the bundle a
 * module the core lists and can hot (un)deploy; Karaf's shell scans the package named by
 * {@code Karaf-Commands} for {@code @Service} commands.
 */
@Header(name = ModuleHeader.MODULE, value = "dns")
@Header(name = "Karaf-Commands", value = "dev.fleetgate.dns.command")
package dev.fleetgate.dns.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;
