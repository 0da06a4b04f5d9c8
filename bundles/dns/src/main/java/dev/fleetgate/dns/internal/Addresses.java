package dev.fleetgate.dns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.xbill.DNS.Address;

import dev.fleetgate.dns.RecordType;

/** IP literals (never resolved as names) in one canonical text form per address. */
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
            return toText(v4);
        }
        byte[] v6 = Address.toByteArray(text, Address.IPv6);
        return v6 == null ? null : toText(v6);
    }

    /** @return A for IPv4, AAAA for IPv6, null when not an IP literal */
    public static RecordType typeOf(String text) {
        String c = canonical(text);
        if (c == null) {
            return null;
        }
        return c.indexOf(':') >= 0 ? RecordType.AAAA : RecordType.A;
    }

    static String toText(byte[] bytes) {
        if (bytes.length == 4) {
            try {
                return InetAddress.getByAddress(bytes).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        // the longest run (>= 2) of zero groups becomes "::" (RFC 5952 section 4.2)
        int bestStart = -1;
        int bestLen = 1;
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
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
