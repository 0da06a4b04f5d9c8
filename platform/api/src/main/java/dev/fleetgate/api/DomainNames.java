package dev.fleetgate.api;

import java.lang.Character.UnicodeScript;
import java.net.IDN;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks on domain names that any module accepting them can share.
 *
 * <p>Syntax: {@link #normalizeDomain(String)} (a service's domain: IDNA to punycode, lower case,
 * one trailing dot dropped, a leading {@code *.} wildcard), {@link #normalizeName(String)} (the
 * same without wildcard, e.g. a DNS zone), {@link #checkHostname(String)} (an ASCII host name of
 * an upstream or a server) and {@link #checkLabels(String, boolean)} (RFC 1035/1123 LDH labels,
 * optionally with {@code _}). They throw {@link InvalidNameException} with a message for a person.
 *
 * <p>{@link #mixedScriptWarning(String)} spots labels that mix writing systems, the usual
 * shape of a homoglyph domain ({@code pаypal.com} with a Cyrillic {@code а}). It follows the
 * "highly restrictive" level of Unicode TS #39: one script per label, except Latin with the
 * Japanese, Chinese or Korean sets. Digits, the hyphen and combining marks belong to every
 * script. A label written wholly in another script that merely looks Latin is not detected.
 */
public final class DomainNames {
    private static final Set<UnicodeScript> ANY = EnumSet.of(UnicodeScript.COMMON, UnicodeScript.INHERITED);
    private static final List<Set<UnicodeScript>> ALLOWED_MIXES = List.of(
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.BOPOMOFO),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HANGUL));

    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 253;

    private DomainNames() {}

    /** Thrown with a message for a person when a name is not acceptable. */
    public static final class InvalidNameException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidNameException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Normalises a domain of a service: IDN to punycode, lower case, one trailing dot
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

    /** Like {@link #normalizeDomain(String)} without a wildcard (e.g. a DNS zone apex). */
    public static String normalizeName(String raw) throws InvalidNameException {
        if (raw.indexOf('*') >= 0) {
            throw new InvalidNameException("must not contain '*'");
        }
        return toAscii(raw);
    }

    /** Checks an ASCII host name (no wildcard, no IDN conversion, not all-digit last label). */
    public static void checkHostname(String host) throws InvalidNameException {
        for (int i = 0; i < host.length(); i++) {
            if (host.charAt(i) > 0x7e) {
                throw new InvalidNameException("must be an IP address or an ASCII host name");
            }
        }
        checkLabels(host, false);
        int dot = host.lastIndexOf('.');
        String last = host.substring(dot + 1);
        if (dot >= 0 && last.chars().allMatch(Character::isDigit)) {
            throw new InvalidNameException("is neither a valid IPv4 address nor a host name");
        }
    }

    /**
     * Checks RFC 1035/1123 labels: 1-63 letters, digits and inner '-' (and '_' when
     * {@code underscore}), at most 253 characters in all, no empty label.
     */
    public static void checkLabels(String name, boolean underscore) throws InvalidNameException {
        if (name.isEmpty()) {
            throw new InvalidNameException("must not be empty");
        }
        if (name.length() > MAX_NAME) {
            throw new InvalidNameException("longer than " + MAX_NAME + " characters");
        }
        for (String label : name.split("\\.", -1)) {
            checkLabel(label, underscore);
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
        checkLabels(ascii, false);
        return ascii;
    }

    private static void checkLabel(String label, boolean underscore) throws InvalidNameException {
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
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || underscore && c == '_';
            if (!ok) {
                throw new InvalidNameException(
                        "may contain only letters, digits, '-'" + (underscore ? ", '_'" : "") + " and '.'");
            }
        }
    }

    /**
     * @param domain a domain name, in Unicode or ASCII ({@code xn--} labels are decoded); a
     *               leading {@code *.} wildcard is allowed
     * @return a warning naming the first label that mixes scripts and its scripts, or empty
     *         when every label keeps to one script (or the name cannot be decoded)
     */
    public static Optional<String> mixedScriptWarning(String domain) {
        if (domain == null || domain.isBlank()) {
            return Optional.empty();
        }
        for (String label : domain.strip().split("[.\u3002\uFF0E\uFF61]")) {
            String unicode = decode(label);
            Set<UnicodeScript> scripts = scripts(unicode);
            if (scripts.size() > 1 && ALLOWED_MIXES.stream().noneMatch(a -> a.containsAll(scripts))) {
                Set<String> names = new TreeSet<>();
                scripts.forEach(s -> names.add(name(s)));
                return Optional.of("label '" + unicode + "' mixes scripts " + String.join(", ", names)
                        + " (possible look-alike of another domain)");
            }
        }
        return Optional.empty();
    }

    /** @return the scripts of the letters in {@code label}, without Common and Inherited */
    static Set<UnicodeScript> scripts(String label) {
        Set<UnicodeScript> out = EnumSet.noneOf(UnicodeScript.class);
        label.codePoints().forEach(cp -> {
            UnicodeScript s = UnicodeScript.of(cp);
            if (!ANY.contains(s) && s != UnicodeScript.UNKNOWN) {
                out.add(s);
            }
        });
        return out;
    }

    private static String decode(String label) {
        if (label.regionMatches(true, 0, "xn--", 0, 4)) {
            try {
                return IDN.toUnicode(label, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return label; // not valid punycode: the caller's own validation reports it
            }
        }
        return label;
    }

    private static String name(UnicodeScript s) {
        String n = s.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }
}
