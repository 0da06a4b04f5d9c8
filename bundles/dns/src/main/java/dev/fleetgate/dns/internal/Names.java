package dev.fleetgate.dns.internal;

import java.net.IDN;
import java.util.Locale;

/** DNS name rules for zones, servers and TSIG key names (lower case, no trailing dot). */
public final class Names {
    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 253;

    private Names() {
    }

    /** Thrown with a message for a person when a name is not acceptable. */
    public static final class InvalidNameException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidNameException(String message) {
            super(message, null, false, false);
        }
    }

    /** A zone apex: IDN to punycode, lower case, one trailing dot dropped, LDH labels, no wildcard. */
    public static String zone(String raw) throws InvalidNameException {
        String n = stripDot(raw);
        if (n.isEmpty()) {
            throw new InvalidNameException("must be a domain name such as example.com. (the root zone is not supported)");
        }
        if (n.indexOf('*') >= 0) {
            throw new InvalidNameException("must not contain '*'");
        }
        noSpaces(n);
        String ascii;
        try {
            ascii = IDN.toASCII(n, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new InvalidNameException("is not a valid domain name: only letters, digits, '-' and '.'"
                    + " (or international characters) are allowed");
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        labels(ascii, false);
        return ascii;
    }

    /** A server: an IP literal or an ASCII host name. */
    public static String server(String raw) throws InvalidNameException {
        String s = raw.trim();
        if (Addresses.canonical(s) != null) {
            return Addresses.canonical(s);
        }
        if (s.indexOf(':') >= 0) {
            throw new InvalidNameException("is not a valid IPv6 address (write it without brackets or port)");
        }
        String n = stripDot(s).toLowerCase(Locale.ROOT);
        noSpaces(n);
        labels(n, false);
        if (n.substring(n.lastIndexOf('.') + 1).chars().allMatch(Character::isDigit)) {
            throw new InvalidNameException("is neither a valid IPv4 address nor a host name");
        }
        return n;
    }

    /** A TSIG key name: a DNS name whose labels may also hold '_'. */
    public static String keyName(String raw) throws InvalidNameException {
        String n = stripDot(raw).toLowerCase(Locale.ROOT);
        noSpaces(n);
        labels(n, true);
        return n;
    }

    /** @return whether {@code domain} is {@code zone} or below it (both normalised) */
    public static boolean inZone(String domain, String zone) {
        return domain.equals(zone) || domain.endsWith("." + zone);
    }

    static String stripDot(String raw) {
        return raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw;
    }

    private static void noSpaces(String n) throws InvalidNameException {
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidNameException("must not contain spaces or control characters");
            }
        }
    }

    private static void labels(String name, boolean underscore) throws InvalidNameException {
        if (name.isEmpty()) {
            throw new InvalidNameException("must not be empty");
        }
        if (name.length() > MAX_NAME) {
            throw new InvalidNameException("longer than " + MAX_NAME + " characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw new InvalidNameException("has an empty label");
            }
            if (label.length() > MAX_LABEL) {
                throw new InvalidNameException("has a label longer than " + MAX_LABEL + " characters");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new InvalidNameException("has a label that starts or ends with '-'");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || underscore && c == '_';
                if (!ok) {
                    throw new InvalidNameException("may contain only letters, digits, '-'"
                            + (underscore ? ", '_'" : "") + " and '.'");
                }
            }
        }
    }
}
