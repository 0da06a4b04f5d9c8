/** Karaf shell commands of the monitors module: {@code fleetgate:monitors}, {@code fleetgate:monitor-add}. */
package dev.fleetgate.monitors.command;
