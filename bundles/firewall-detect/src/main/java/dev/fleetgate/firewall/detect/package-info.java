/**
 * Access-log parsing and traffic detectors of the firewall module (issue 16). Pure Java, no OSGi
 * dependency: the core's {@code dev.fleetgate.firewall} bundle (offline replay) and the agent's
 * firewall bundle (live detection) both embed this package privately with bnd
 * {@code -conditionalpackage}, so live and replayed decisions come from the same code.
 * Not exported: each side embeds the copy it was built with.
 */
package dev.fleetgate.firewall.detect;
