/** Implementation of the scaling module (not exported). */
@Header(name = ModuleHeader.MODULE, value = "scaling")
@Header(name = "Karaf-Commands", value = "dev.fleetgate.scaling.command")
package dev.fleetgate.scaling.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;
