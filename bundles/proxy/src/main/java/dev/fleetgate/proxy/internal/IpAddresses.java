package dev.fleetgate.proxy.internal;

/** IP literal syntax, parsed by hand (InetAddress would resolve names). */
public final class IpAddresses {
    private IpAddresses() {}

    public static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty()
                    || p.length() > 3
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || p.length() > 1 && p.charAt(0) == '0'
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Full, compressed ({@code ::}) and IPv4-suffixed forms; no zone id, no brackets. */
    public static boolean isIpv6(String s) {
        if (s.length() < 2 || s.length() > 45 || s.indexOf(':') < 0) {
            return false;
        }
        int dbl = s.indexOf("::");
        if (dbl < 0) {
            return groups(s, true) == 8;
        }
        if (s.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String head = s.substring(0, dbl);
        String tail = s.substring(dbl + 2);
        int h = head.isEmpty() ? 0 : groups(head, false);
        int t = tail.isEmpty() ? 0 : groups(tail, true);
        return h >= 0 && t >= 0 && h + t <= 7;
    }

    /** @return the number of 16-bit groups in {@code part}, or -1 when it is malformed */
    private static int groups(String part, boolean ipv4Suffix) {
        String[] gs = part.split(":", -1);
        int n = 0;
        for (int i = 0; i < gs.length; i++) {
            String g = gs[i];
            if (ipv4Suffix && i == gs.length - 1 && g.indexOf('.') >= 0) {
                if (!isIpv4(g)) {
                    return -1;
                }
                n += 2;
            } else if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(IpAddresses::isHex)) {
                return -1;
            } else {
                n++;
            }
        }
        return n;
    }

    private static boolean isHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
