package dev.fleetgate.dns;

import java.util.Locale;
import java.util.Objects;

/**
 * A zone as a {@link DnsProvider} needs it to change and read records.
 *
 * @param name     the zone's apex without the trailing dot, e.g. {@code example.test}
 * @param provider the provider type serving it, e.g. {@code rfc2136}
 * @param server   the authoritative (primary) server: IP address or host name
 * @param port     its port
 * @param key      the TSIG key signing every message, or null to send unsigned messages
 * @param ttl      time to live given to records created in the zone, in seconds
 */
public record DnsZone(String name, String provider, String server, int port, TsigKey key, int ttl) {

    public DnsZone {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(server, "server");
        String n = name.toLowerCase(Locale.ROOT);
        name = n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** @return whether {@code domain} (no trailing dot) is the apex or below it */
    public boolean contains(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.equals(name) || d.endsWith("." + name);
    }
}
