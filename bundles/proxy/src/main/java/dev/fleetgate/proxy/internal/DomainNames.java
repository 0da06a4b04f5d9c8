package dev.fleetgate.proxy.internal;

import java.net.IDN;
import java.util.Locale;

/** Host and domain name rules (RFC 1035/1123 LDH labels, IDNA to punycode). */
public final class DomainNames {
    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 253;

    private DomainNames() {
    }

    /** Thrown with a message for a person when a name is not acceptable. */
    public static final class InvalidNameException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidNameException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Normalises a domain of a service: IDN → punycode, lower case, one trailing dot
     * dropped; a wildcard is allowed only as a leading {@code *.}.
     */
    public static String normalizeDomain(String raw) throws InvalidNameException {
        if (raw.isEmpty()) {
            throw new InvalidNameException("must not be empty");
        }
        boolean wildcard = raw.startsWith("*.");
        String rest = wildcard ? raw.substring(2) : raw;
        if (rest.indexOf('*') >= 0) {
            throw new InvalidNameException("a wildcard is only allowed as a leading '*.'");
        }
        String ascii = toAscii(rest);
        String name = wildcard ? "*." + ascii : ascii;
        if (name.length() > MAX_NAME) {
            throw new InvalidNameException("longer than " + MAX_NAME + " characters");
        }
        return name;
    }

    /** Checks a host name of an upstream target (no wildcard, no IDN conversion). */
    public static void checkHostname(String host) throws InvalidNameException {
        for (int i = 0; i < host.length(); i++) {
            if (host.charAt(i) > 0x7e) {
                throw new InvalidNameException("must be an IP address or an ASCII host name");
            }
        }
        checkLdh(host);
        int dot = host.lastIndexOf('.');
        String last = host.substring(dot + 1);
        if (dot >= 0 && last.chars().allMatch(Character::isDigit)) {
            throw new InvalidNameException("is neither a valid IPv4 address nor a host name");
        }
    }

    private static String toAscii(String name) throws InvalidNameException {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidNameException("must not contain spaces or control characters");
            }
        }
        String ascii;
        try {
            ascii = IDN.toASCII(n, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new InvalidNameException("is not a valid domain name: only letters, digits, '-' and '.'"
                    + " (or international characters) are allowed");
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        checkLdh(ascii);
        return ascii;
    }

    private static void checkLdh(String name) throws InvalidNameException {
        if (name.isEmpty()) {
            throw new InvalidNameException("must not be empty");
        }
        if (name.length() > MAX_NAME) {
            throw new InvalidNameException("longer than " + MAX_NAME + " characters");
        }
        int start = 0;
        while (start <= name.length()) {
            int end = name.indexOf('.', start);
            if (end < 0) {
                end = name.length();
            }
            checkLabel(name.substring(start, end));
            start = end + 1;
        }
    }

    private static void checkLabel(String label) throws InvalidNameException {
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
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
            if (!ok) {
                throw new InvalidNameException("may contain only letters, digits, '-' and '.'");
            }
        }
    }
}
