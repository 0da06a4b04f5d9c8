/** Karaf shell commands of the certificates module: {@code fleetgate:certs}, {@code fleetgate:cert-renew}. */
package dev.fleetgate.certificates.command;
