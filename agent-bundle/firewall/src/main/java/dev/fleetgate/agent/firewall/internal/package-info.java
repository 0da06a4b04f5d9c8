/** The agent's live traffic analysis (not exported); the detectors are embedded (bnd -conditionalpackage). */
package dev.fleetgate.agent.firewall.internal;
