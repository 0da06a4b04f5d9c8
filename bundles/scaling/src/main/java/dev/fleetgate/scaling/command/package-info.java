/** Karaf shell commands of the scaling module: {@code fleetgate:autoscale}. */
package dev.fleetgate.scaling.command;
