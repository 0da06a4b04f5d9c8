/**
 * Karaf shell commands of the firewall module: {@code fleetgate:blocks}, {@code fleetgate:block},
 * {@code fleetgate:unblock}, {@code fleetgate:firewall-replay}.
 */
package dev.fleetgate.firewall.command;
