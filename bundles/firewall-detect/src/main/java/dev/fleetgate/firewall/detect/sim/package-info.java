/**
 * A seeded generator of labelled access logs and the precision/recall evaluation of the detectors on them
 * (tests and {@code bench/}); not used at run time, so bnd does not embed it in the bundles.
 */
package dev.fleetgate.firewall.detect.sim;
