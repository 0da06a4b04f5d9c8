/** Karaf shell commands of the alerts module: {@code fleetgate:incidents}, {@code alert-rules}, {@code silence}. */
package dev.fleetgate.alerts.command;
