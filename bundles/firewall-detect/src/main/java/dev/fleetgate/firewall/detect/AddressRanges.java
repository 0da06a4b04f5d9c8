package dev.fleetgate.firewall.detect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** A set of address blocks (IPv4/IPv6 CIDR); {@link #contains} answers whether an address literal is inside one. */
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

    /** @return the entry in canonical lower case, or null when it is not an address or block */
    public static String normalise(String s) {
        if (s == null || s.isEmpty() || s.length() > 60) {
            return null;
        }
        String t = s.trim().toLowerCase(Locale.ROOT);
        int slash = t.indexOf('/');
        byte[] a = literal(slash < 0 ? t : t.substring(0, slash));
        if (a == null) {
            return null;
        }
        if (slash >= 0) {
            String bits = t.substring(slash + 1);
            if (bits.isEmpty()
                    || bits.length() > 3
                    || !bits.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(bits) > a.length * 8) {
                return null;
            }
        }
        return t;
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
