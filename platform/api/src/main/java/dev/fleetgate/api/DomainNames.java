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

    private DomainNames() {
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
