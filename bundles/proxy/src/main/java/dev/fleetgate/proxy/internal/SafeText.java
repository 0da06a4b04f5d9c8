package dev.fleetgate.proxy.internal;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Character rules for what reaches the agent's proxy configuration. Nothing a user types
 * may carry {@code ; { } " ' \ $}, CR or LF into it: those could end a directive, open a
 * block or interpolate a variable.
 */
public final class SafeText {
    /** RFC 7230 token characters, minus {@code $} and {@code '}. */
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#%&*+.^_`|~-]{1,128}");

    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** RFC 3986 path and query characters, minus {@code ; ' $}. */
    private static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~!&()*+,=:@/%?-]*");

    private static final Pattern BAD_PERCENT = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    private static final Pattern MAX_BODY = Pattern.compile("\\d{1,6}[kmg]?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final String FORBIDDEN = ";{}\"'\\$";
    /** Headers the proxy itself manages; overriding them breaks framing or upgrades. */
    private static final Set<String> MANAGED_REQUEST_HEADERS = Set.of(
            "connection",
            "content-length",
            "transfer-encoding",
            "upgrade",
            "keep-alive",
            "te",
            "trailer",
            "proxy-connection");

    private static final Pattern IMAGE = Pattern.compile("(?:[A-Za-z0-9.-]+(?::\\d{1,5})?/)?"
            + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
            + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");

    private SafeText() {}

    public static boolean isServiceName(String s) {
        return SERVICE_NAME.matcher(s).matches();
    }

    public static boolean isHeaderName(String s) {
        return HEADER_NAME.matcher(s).matches();
    }

    public static boolean isManagedRequestHeader(String name) {
        return MANAGED_REQUEST_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Printable ASCII without {@code ; { } " ' \ $}, at most 1024 characters. */
    public static boolean isHeaderValue(String s) {
        if (s.length() > 1024) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || FORBIDDEN.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    public static boolean isUrlPath(String s) {
        return s.length() <= 1024
                && URL_PATH.matcher(s).matches()
                && !BAD_PERCENT.matcher(s).find();
    }

    public static boolean isMaxBodySize(String s) {
        return MAX_BODY.matcher(s).matches();
    }

    /** @return bytes of a size like {@code 10m}; {@code 0} means unlimited */
    public static long bytes(String maxBodySize) {
        char unit = maxBodySize.charAt(maxBodySize.length() - 1);
        long factor =
                switch (unit) {
                    case 'k' -> 1024L;
                    case 'm' -> 1024L * 1024;
                    case 'g' -> 1024L * 1024 * 1024;
                    default -> 1L;
                };
        String digits = factor == 1 ? maxBodySize : maxBodySize.substring(0, maxBodySize.length() - 1);
        return Long.parseLong(digits) * factor;
    }

    public static boolean isEnvName(String s) {
        return ENV_NAME.matcher(s).matches();
    }

    public static boolean isAgentId(String s) {
        return AGENT_ID.matcher(s).matches();
    }

    public static boolean isImage(String s) {
        return s.length() <= 255 && IMAGE.matcher(s).matches();
    }

    /** No control characters (C0, DEL, C1, line/paragraph separators), at most {@code max} chars. */
    public static boolean isPlainText(String s, int max) {
        if (s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }
}
