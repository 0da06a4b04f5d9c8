package dev.fleetgate.agent.nginx.internal;

import java.util.regex.Pattern;

/**
 * Defensive checks of everything the driver renders into nginx's configuration or sends to a target. The core
 * validates service input already; this is the second line: a value that could change the structure of the
 * configuration ({@code ; { } " ' \ $}, CR, LF, other control characters) is refused with an error naming the
 * field, never escaped into something else.
 */
public final class SafeValues {

    /** Characters refused in every rendered value. */
    static final String FORBIDDEN = ";{}\"'\\$";

    private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,126}[a-z0-9])?");
    private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#%&*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!&()*+,=:@%/-]{0,1023}");
    private static final Pattern HTTP_PATH = Pattern.compile("/[A-Za-z0-9._~!&()*+,=:@%/?-]{0,1023}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|[0-9a-fA-F:.]{2,45}");
    private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern IPV4_CIDR = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}(/([0-9]|[12][0-9]|3[0-2]))?");
    private static final Pattern IPV6_CIDR =
            Pattern.compile("[0-9a-fA-F:]{2,39}(/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))?");
    private static final Pattern CONTENT_TYPE =
            Pattern.compile("([A-Za-z0-9.+-]{1,64}/[A-Za-z0-9.+-]{1,64})(\\s*;\\s*charset=([A-Za-z0-9_-]{1,32}))?");

    private SafeValues() {}

    /**
     * Refuses a value with a character that nginx's parser treats specially, or a control character.
     *
     * @return the value
     * @throws IllegalArgumentException naming the field and the character
     */
    public static String text(String field, String value, int maxLength) {
        if (value == null) {
            throw refused(field, "is missing");
        }
        if (value.length() > maxLength) {
            throw refused(field, "is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (FORBIDDEN.indexOf(c) >= 0) {
                throw refused(field, "contains '" + c + "', which is not allowed in the nginx configuration");
            }
            if (c < 0x20 || c == 0x7f) {
                throw refused(field, "contains a control character (code " + (int) c + ")");
            }
            if (c > 0x7e) {
                throw refused(field, "contains a non-ASCII character");
            }
        }
        return value;
    }

    /** Site ids and upstream names: {@code [a-z0-9-]}, safe as file names. */
    public static String id(String field, String value) {
        return matching(field, value, ID, "must match [a-z0-9-]+");
    }

    public static String serviceId(String field, String value) {
        return matching(field, value, SERVICE_ID, "must be a service id ([A-Za-z0-9-]+)");
    }

    /** A server name: lower-case LDH labels, optionally a leading {@code *.}. */
    public static String serverName(String field, String value) {
        text(field, value, 253);
        String name = value.startsWith("*.") ? value.substring(2) : value;
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw refused(field, "is not a host name (lower-case letters, digits, '-', a leading '*.')");
            }
        }
        return value;
    }

    public static String headerName(String field, String value) {
        return matching(field, value, HEADER_NAME, "must be an HTTP header name (RFC 7230 token)");
    }

    public static String headerValue(String field, String value) {
        return text(field, value, 1024);
    }

    /** A location path: starts with '/', RFC 3986 path characters only. */
    public static String path(String field, String value) {
        return matching(field, value, PATH, "must start with '/' and hold only RFC 3986 path characters");
    }

    /** A health check request target: a path and an optional query. */
    public static String httpPath(String field, String value) {
        return matching(
                field, value, HTTP_PATH, "must start with '/' and hold only RFC 3986 path and query characters");
    }

    /** A target host: an IP literal (brackets removed) or a host name. */
    public static String host(String field, String value) {
        String host = value != null && value.startsWith("[") && value.endsWith("]")
                ? value.substring(1, value.length() - 1)
                : value;
        return matching(field, host, HOST, "must be an IP address or a host name");
    }

    /** An id used in a file name. */
    public static String fileId(String field, String value) {
        String v = matching(field, value, FILE_ID, "must match [A-Za-z0-9._-]+");
        if (v.contains("..")) {
            throw refused(field, "must not contain '..'");
        }
        return v;
    }

    /** An access rule source: {@code all}, an IPv4 or IPv6 address or CIDR block. */
    public static String source(String field, String value) {
        text(field, value, 64);
        if (!"all".equals(value)
                && !IPV4_CIDR.matcher(value).matches()
                && !(value.contains(":") && IPV6_CIDR.matcher(value).matches())) {
            throw refused(field, "must be 'all' or an IP address or CIDR block");
        }
        return value;
    }

    /**
     * @return {type, charset or null} of a content type such as {@code text/html; charset=utf-8}
     */
    public static String[] contentType(String field, String value) {
        if (value == null) {
            return new String[] {"text/html", "utf-8"};
        }
        var m = CONTENT_TYPE.matcher(value);
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || !m.matches()) {
            throw refused(field, "must be a media type with an optional charset, e.g. text/html; charset=utf-8");
        }
        return new String[] {m.group(1), m.group(3)};
    }

    static IllegalArgumentException refused(String field, String why) {
        return new IllegalArgumentException("refused proxy spec: " + field + " " + why);
    }

    private static String matching(String field, String value, Pattern pattern, String rule) {
        if (value == null) {
            throw refused(field, "is missing");
        }
        text(field, value, 2048);
        if (!pattern.matcher(value).matches()) {
            throw refused(field, rule);
        }
        return value;
    }

    private static final byte[] AWS_IPV6_METADATA = {
        (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
    };

    /**
     * @return whether an address is link-local ({@code 169.254.0.0/16}, {@code fe80::/10}, which holds the cloud
     *         metadata endpoint {@code 169.254.169.254}) or another known metadata endpoint ({@code 100.100.100.200},
     *         {@code fd00:ec2::254}): the agent never proxies, health-checks or scrapes there, whatever a name resolves to
     */
    public static boolean isLinkLocalOrMetadata(java.net.InetAddress a) {
        if (a.isLinkLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xff) == 100 && (b[2] & 0xff) == 100 && (b[3] & 0xff) == 200;
        }
        return java.util.Arrays.equals(b, AWS_IPV6_METADATA);
    }
}
