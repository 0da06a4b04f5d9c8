/** Karaf shell commands of the REST host; Karaf scans this package for {@code @Service} actions. */
@Header(name = "Karaf-Commands", value = "dev.fleetgate.rest.command")
package dev.fleetgate.rest.command;

import org.osgi.annotation.bundle.Header;
