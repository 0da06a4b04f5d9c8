package dev.fleetgate.agent;

/**
 * Makes text (a log line, a probe's answer) storable in a task result: PostgreSQL's {@code jsonb} refuses U+0000 (the whole sync request
 * that carries the result fails, again at every retry), and an unpaired surrogate (a line cut in a pair) is not
 * valid UTF-8. Both become U+FFFD; every other character, tabs and ANSI escapes included, stays (JSON escapes them).
 */
public final class StorableText {

    /** What replaces a character that cannot be stored. */
    public static final char REPLACEMENT = '\uFFFD';

    private StorableText() {}

    /**
     * @param text any text
     * @return the text with U+0000 and unpaired surrogates replaced by {@link #REPLACEMENT}; the same instance when
     *         there is none
     */
    public static String clean(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && safe(text, i)) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder out = new StringBuilder(n).append(text, 0, i);
        for (; i < n; i++) {
            out.append(safe(text, i) ? text.charAt(i) : REPLACEMENT);
        }
        return out.toString();
    }

    private static boolean safe(String text, int i) {
        char c = text.charAt(i);
        if (c == 0) {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
        }
        return true;
    }
}
