/** Karaf shell commands of the REST host; Karaf scans this package for {@code @Service} actions. */
package dev.fleetgate.rest.command;
