/** Karaf shell commands of the agents bundle ({@code fleetgate:*}). */
package dev.fleetgate.agents.command;
