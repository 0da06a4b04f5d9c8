package dev.fleetgate.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * IP address literals and CIDR blocks, read without any name lookup and written in one canonical form: IPv4 dotted
 * without leading zeros, IPv6 as RFC 5952 writes it (lower case, no leading zeros, the longest run of two or more
 * zero groups as {@code ::}).
 *
 * <p>The agents' firewall detectors keep a private copy of this code ({@code bundles/firewall-detect}
 * {@code AddressRanges}): they are embedded in agent bundles, which cannot import the core's API.
 */
public final class IpAddresses {
    private IpAddresses() {}

    /**
     * @return the address or block in canonical form, or null when it is not one; an IPv4-mapped IPv6 address
     *     ({@code ::ffff:a.b.c.d}, a prefix ≥ 96 counted over 128 bits) becomes the IPv4 address
     */
    public static String normalise(String s) {
        if (s == null || s.isEmpty() || s.length() > 60) {
            return null;
        }
        String t = s.trim().toLowerCase(Locale.ROOT);
        int slash = t.indexOf('/');
        String text = slash < 0 ? t : t.substring(0, slash);
        byte[] a = literal(text);
        if (a == null) {
            return null;
        }
        if (slash < 0) {
            return text(a);
        }
        String bits = t.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int prefix = Integer.parseInt(bits);
        if (a.length == 4 && text.indexOf(':') >= 0) { // ::ffff:a.b.c.d/n, n counted over 128 bits
            prefix -= 96;
            if (prefix < 0) {
                return null;
            }
        }
        if (prefix > a.length * 8) {
            return null;
        }
        return text(a) + "/" + prefix;
    }

    /**
     * @return the address bytes of a literal (4 for IPv4 and IPv4-mapped IPv6, else 16), or null when {@code s} is
     *     not one; never a name lookup
     */
    public static byte[] literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        boolean v6 = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9'
                    || c == '.'
                    || v6 && (c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
            if (!ok) {
                return null;
            }
        }
        if (!v6) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || Integer.parseInt(parts[i]) > 255) {
                    return null;
                }
                b[i] = (byte) Integer.parseInt(parts[i]);
            }
            return b;
        }
        try {
            return InetAddress.getByName(s).getAddress(); // a literal: no lookup
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /** @return the canonical text of an address: 4 bytes dotted, 16 bytes as RFC 5952 writes them */
    public static String text(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + a.length);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xff) << 8 | a[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952: a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }
}
