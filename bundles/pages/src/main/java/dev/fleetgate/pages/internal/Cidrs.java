package dev.fleetgate.pages.internal;

import java.util.Locale;

import dev.fleetgate.api.IpAddresses;

/** Checks client-address allowlist entries: an IPv4 or IPv6 address, optionally with a prefix length. */
final class Cidrs {
    private Cidrs() {}

    /** @return the normalised entry (lower case), or null when it is not an address or CIDR block */
    static String normalise(String s) {
        if (s == null || s.isEmpty() || s.length() > 49) {
            return null;
        }
        String text = s.toLowerCase(Locale.ROOT);
        int slash = text.indexOf('/');
        byte[] bytes = IpAddresses.literal(slash < 0 ? text : text.substring(0, slash));
        if (bytes == null) {
            return null;
        }
        if (slash >= 0) {
            String len = text.substring(slash + 1);
            if (!len.matches("\\d{1,3}") || Integer.parseInt(len) > bytes.length * 8) {
                return null;
            }
        }
        return text;
    }
}
