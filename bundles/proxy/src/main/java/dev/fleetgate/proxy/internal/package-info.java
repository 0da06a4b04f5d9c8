/**
 * Implementation of the proxy module (not exported).
 *
 * <p>The bundle headers are declared here: {@code Fleetgate-Module} makes the bundle a
 * module the core lists and can hot (un)deploy; Karaf's shell scans the bundle's {@code .command}
 * package for {@code @Service} commands ({@code Karaf-Commands}, set for every bundle by the parent pom).
 */
@Header(name = ModuleHeader.MODULE, value = "proxy")
package dev.fleetgate.proxy.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;
