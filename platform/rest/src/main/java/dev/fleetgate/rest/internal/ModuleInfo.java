package dev.fleetgate.rest.internal;

/**
 * A Fleetgate module bundle.
 *
 * @param name    the {@code Fleetgate-Module} header
 * @param bundle  the bundle's symbolic name
 * @param version the bundle's version
 * @param state   ACTIVE, RESOLVED, INSTALLED, STARTING, STOPPING or UNINSTALLED
 */
public record ModuleInfo(String name, String bundle, String version, String state) {}
