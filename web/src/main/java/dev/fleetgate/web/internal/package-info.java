/** The web admin's servlet; nothing is exported. */
package dev.fleetgate.web.internal;
