/** Karaf shell commands of the pages module: {@code fleetgate:maintenance}. */
package dev.fleetgate.pages.command;
