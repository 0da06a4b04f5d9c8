package dev.fleetgate.dns.internal;

import java.util.Locale;

import dev.fleetgate.api.DomainNames;
import dev.fleetgate.api.DomainNames.InvalidNameException;

/**
 * DNS name rules for zones, servers and TSIG key names (lower case, no trailing dot), on top
 * of the shared syntax checks of {@link DomainNames}.
 */
public final class Names {
    private Names() {}

    /** A zone apex: IDN to punycode, lower case, one trailing dot dropped, LDH labels, no wildcard. */
    public static String zone(String raw) throws InvalidNameException {
        if (stripDot(raw).isEmpty()) {
            throw new InvalidNameException(
                    "must be a domain name such as example.com. (the root zone is not supported)");
        }
        return DomainNames.normalizeName(raw);
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
        DomainNames.checkHostname(n);
        if (n.chars().allMatch(Character::isDigit)) {
            throw new InvalidNameException("is neither a valid IPv4 address nor a host name");
        }
        return n;
    }

    /** A TSIG key name: a DNS name whose labels may also hold '_'. */
    public static String keyName(String raw) throws InvalidNameException {
        String n = stripDot(raw).toLowerCase(Locale.ROOT);
        noSpaces(n);
        DomainNames.checkLabels(n, true);
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
}
