/** Implementation of the monitors module (not exported). */
@Header(name = ModuleHeader.MODULE, value = "monitors")
package dev.fleetgate.monitors.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;
