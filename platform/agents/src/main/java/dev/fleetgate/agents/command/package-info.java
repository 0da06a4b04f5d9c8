/** Karaf shell commands of the agents bundle ({@code fleetgate:*}). */
@Header(name = "Karaf-Commands", value = "dev.fleetgate.agents.command")
package dev.fleetgate.agents.command;

import org.osgi.annotation.bundle.Header;
