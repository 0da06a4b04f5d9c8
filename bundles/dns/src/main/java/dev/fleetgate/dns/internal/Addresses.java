package dev.fleetgate.dns.internal;

import org.xbill.DNS.Address;

import dev.fleetgate.api.IpAddresses;
import dev.fleetgate.dns.RecordType;

/** IP literals (never resolved as names) as dnsjava reads them, in the canonical text of {@link IpAddresses#text}. */
public final class Addresses {
    private Addresses() {}

    /**
     * @return the canonical text of an IP literal (IPv6 compressed per RFC 5952), or null when
     *         {@code text} is not one
     */
    public static String canonical(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        byte[] v4 = Address.toByteArray(text, Address.IPv4);
        if (v4 != null) {
            return IpAddresses.text(v4);
        }
        byte[] v6 = Address.toByteArray(text, Address.IPv6);
        return v6 == null ? null : IpAddresses.text(v6);
    }

    /** @return A for IPv4, AAAA for IPv6, null when not an IP literal */
    public static RecordType typeOf(String text) {
        String c = canonical(text);
        if (c == null) {
            return null;
        }
        return c.indexOf(':') >= 0 ? RecordType.AAAA : RecordType.A;
    }
}
