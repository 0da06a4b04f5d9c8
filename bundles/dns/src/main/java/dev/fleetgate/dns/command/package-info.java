/** Karaf shell commands of the DNS module: {@code fleetgate:dns-zones}, {@code dns-records}, {@code dns-sync}. */
package dev.fleetgate.dns.command;
