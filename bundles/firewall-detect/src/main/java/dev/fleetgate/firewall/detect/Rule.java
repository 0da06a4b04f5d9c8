package dev.fleetgate.firewall.detect;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A known-bad pattern an operator can edit: a case-insensitive substring (or a regular expression) looked for in
 * the request path or the User-Agent. A match adds {@code weight} to the client's pattern score.
 *
 * @param id      a short name shown in evidence
 * @param target  {@code path} or {@code userAgent}
 * @param regex   whether {@code pattern} is a regular expression (else a substring)
 * @param pattern the substring or expression, matched without case
 * @param weight  1–100
 * @param missingOnly counts only when the answer was 403, 404 or 410: probing for something the site does not have
 *                (a real WordPress site serves {@code /wp-login.php} to its users)
 */
public record Rule(String id, String target, boolean regex, String pattern, int weight, boolean missingOnly) {
    public static final String PATH = "path";
    public static final String USER_AGENT = "userAgent";

    /** A rule ready to match (pattern lower-cased or compiled once). */
    static final class Compiled {
        final Rule rule;
        final boolean onPath;
        final String needle;
        final Pattern re;

        Compiled(Rule rule) {
            this.rule = rule;
            this.onPath = PATH.equals(rule.target());
            this.needle = rule.regex() ? null : rule.pattern().toLowerCase(Locale.ROOT);
            this.re = rule.regex() ? Pattern.compile(rule.pattern(), Pattern.CASE_INSENSITIVE) : null;
        }

        /** @param lower the text, lower-cased */
        boolean matches(String text, String lower) {
            return re != null ? re.matcher(text).find() : lower.contains(needle);
        }
    }
}
