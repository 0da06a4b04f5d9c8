package dev.fleetgate.firewall.detect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A set of address blocks (IPv4/IPv6 CIDR); {@link #contains} answers whether an address literal is inside one.
 *
 * <p>Its parsing and canonical form ({@link #normalise}, {@link #literal}) are a private copy of the core's
 * {@code dev.fleetgate.api.IpAddresses}: this library is embedded in the agent's firewall bundle, which cannot
 * import the core's API (core and agents are upgraded apart). Change both together.
 */
public final class AddressRanges {
    private final List<byte[]> networks = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();

    /** @param blocks normalised blocks (see {@link #normalise}); bad entries are ignored */
    public AddressRanges(Collection<String> blocks) {
        for (String b : blocks) {
            String n = normalise(b);
            if (n == null) {
                continue;
            }
            int slash = n.indexOf('/');
            byte[] addr = literal(slash < 0 ? n : n.substring(0, slash));
            networks.add(addr);
            prefixes.add(slash < 0 ? addr.length * 8 : Integer.parseInt(n.substring(slash + 1)));
        }
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** @return whether {@code address} (a literal; an IPv4-mapped IPv6 address counts as IPv4) is in a block */
    public boolean contains(String address) {
        byte[] a = literal(address);
        if (a == null) {
            return false;
        }
        for (int i = 0; i < networks.size(); i++) {
            byte[] net = networks.get(i);
            if (net.length == a.length && samePrefix(net, a, prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(byte[] x, byte[] y, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (x[i] != y[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (x[full] & mask) == (y[full] & mask);
    }

    /**
     * @return the address or block in canonical form, or null when it is not one: IPv4 dotted without leading zeros,
     *     IPv6 as RFC 5952 writes it (lower case, no leading zeros, the longest run of two or more zero groups as
     *     {@code ::}), an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, prefix ≥ 96) as the IPv4 address
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
            return format(a);
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
        return format(a) + "/" + prefix;
    }

    /** @return the canonical form of an address literal (no block), or null (see {@link #normalise}) */
    public static String canonical(String s) {
        if (s == null || s.indexOf('/') >= 0) {
            return null;
        }
        return normalise(s);
    }

    /** @return {@code client} in canonical form when it is an IPv6 literal that is not (cheap for IPv4) */
    static String canonicalClient(String client) {
        if (client == null || client.indexOf(':') < 0) {
            return client;
        }
        String c = canonical(client);
        return c == null ? client : c;
    }

    private static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
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

    /** @return the address bytes of a literal (never a name lookup), or null */
    static byte[] literal(String s) {
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
            byte[] b = InetAddress.getByName(s).getAddress(); // a literal: no lookup
            return b;
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
