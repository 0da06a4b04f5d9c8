/**
 * Fleetgate DNS: the {@link dev.fleetgate.dns.DnsProvider} SPI through which the core changes
 * records in an authoritative zone, and the {@link dev.fleetgate.dns.DnsService} other modules
 * (certificates: ACME dns-01) use to place TXT records in the configured zones.
 *
 * <p>Names in this package are absolute DNS names written without the trailing dot, in lower
 * case, IDNs as punycode ({@code shop.example.test}, {@code *.shop.example.test}).
 */
@Export
@Version("1.0.0")
package dev.fleetgate.dns;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
