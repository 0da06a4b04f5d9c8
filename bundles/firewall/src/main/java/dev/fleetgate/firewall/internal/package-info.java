/**
 * Implementation of the firewall module (not exported). The detectors ({@code dev.fleetgate.firewall.detect}) are
 * embedded privately (bnd -conditionalpackage), the same code the agents' firewall bundle embeds.
 */
@Header(name = ModuleHeader.MODULE, value = "firewall")
@Header(name = "Karaf-Commands", value = "dev.fleetgate.firewall.command")
package dev.fleetgate.firewall.internal;

import org.osgi.annotation.bundle.Header;

import dev.fleetgate.api.ModuleHeader;
