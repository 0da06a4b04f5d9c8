package dev.fleetgate.firewall.detect;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Parses access-log lines: Fleetgate's JSON lines ({@code log_format fleetgate_json}: one flat object) and
 * nginx {@code combined}. Hand-written scanners (no JSON tree, no regular expression): parsing must not be
 * what limits a replay. Not thread-safe (caches the last timestamp): one parser per thread.
 */
public final class LogParser {
    private static final DateTimeFormatter COMBINED_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private String lastTimeText;
    private long lastTimeMillis;
    private final StringBuilder buf = new StringBuilder(64);

    /** @return the request, or null when the line is neither format (or is broken) */
    public Request parse(String line) {
        if (line == null || line.isEmpty()) {
            return null;
        }
        try {
            return line.charAt(0) == '{' ? json(line) : combined(line);
        } catch (RuntimeException e) {
            return null; // a broken line is skipped, never fatal
        }
    }

    // ---- Fleetgate JSON ----

    private Request json(String s) {
        long time = Long.MIN_VALUE;
        String service = null;
        String client = null;
        String method = "";
        String path = "";
        String query = null;
        int status = -1;
        String ua = null;
        int n = s.length();
        int i = 1;
        while (true) {
            i = skipWs(s, i);
            if (i >= n) {
                return null;
            }
            char c = s.charAt(i);
            if (c == '}') {
                break;
            }
            if (c == ',') {
                i++;
                continue;
            }
            if (c != '"') {
                return null;
            }
            int keyStart = i + 1;
            int keyEnd = s.indexOf('"', keyStart);
            if (keyEnd < 0) {
                return null;
            }
            int key = key(s, keyStart, keyEnd - keyStart);
            i = skipWs(s, keyEnd + 1);
            if (i >= n || s.charAt(i) != ':') {
                return null;
            }
            i = skipWs(s, i + 1);
            if (i >= n) {
                return null;
            }
            String value = null;
            if (s.charAt(i) == '"') {
                int end = stringEnd(s, i + 1);
                if (end < 0) {
                    return null;
                }
                if (key >= 0) {
                    value = unescape(s, i + 1, end);
                }
                i = end + 1;
            } else {
                int end = i;
                while (end < n && s.charAt(end) != ',' && s.charAt(end) != '}') {
                    end++;
                }
                if (key >= 0) {
                    value = s.substring(i, end).trim();
                }
                i = end;
            }
            switch (key) {
                case K_TIME -> time = epochMillis(value);
                case K_SERVICE -> service = blank(value);
                case K_CLIENT -> client = value;
                case K_METHOD -> method = value;
                case K_PATH -> path = value;
                case K_QUERY -> query = value;
                case K_STATUS -> status = Integer.parseInt(value);
                case K_USER_AGENT -> ua = blank(value);
                default -> {
                    // other members are not used by the detectors
                }
            }
        }
        if (time == Long.MIN_VALUE || status < 0 || client == null || client.isEmpty()) {
            return null;
        }
        return new Request(time, service, client, method, Request.target(path, query), status, ua, s);
    }

    private static final int K_TIME = 0;
    private static final int K_SERVICE = 1;
    private static final int K_CLIENT = 2;
    private static final int K_METHOD = 3;
    private static final int K_PATH = 4;
    private static final int K_STATUS = 5;
    private static final int K_USER_AGENT = 6;
    private static final int K_QUERY = 7;
    private static final String[] KEYS = {"time", "service", "client", "method", "path", "status", "userAgent", "query"
    };

    /** @return the index of a member the detectors use, or -1 (compared in place: no key string is made) */
    private static int key(String s, int from, int len) {
        for (int k = 0; k < KEYS.length; k++) {
            if (KEYS[k].length() == len && s.startsWith(KEYS[k], from)) {
                return k;
            }
        }
        return -1;
    }

    private static int skipWs(String s, int i) {
        while (i < s.length() && s.charAt(i) <= ' ') {
            i++;
        }
        return i;
    }

    /** @return the index of the closing quote of a string starting at {@code from}, or -1 */
    private static int stringEnd(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private String unescape(String s, int from, int to) {
        int bs = s.indexOf('\\', from);
        if (bs < 0 || bs >= to) {
            return s.substring(from, to);
        }
        buf.setLength(0);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= to) {
                buf.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> buf.append('\n');
                case 't' -> buf.append('\t');
                case 'r' -> buf.append('\r');
                case 'b' -> buf.append('\b');
                case 'f' -> buf.append('\f');
                case 'u' -> {
                    if (i + 4 < to) {
                        buf.append((char) Integer.parseInt(s, i + 1, i + 5, 16));
                        i += 4;
                    }
                }
                default -> buf.append(e); // \" \\ \/
            }
        }
        return buf.toString();
    }

    /** nginx {@code $msec}: seconds with a millisecond fraction, e.g. {@code 1733350000.123}. */
    private static long epochMillis(String v) {
        int dot = v.indexOf('.');
        if (dot < 0) {
            return Long.parseLong(v) * 1000;
        }
        long secs = Long.parseLong(v, 0, dot, 10);
        int fracDigits = Math.min(3, v.length() - dot - 1);
        long frac = fracDigits == 0 ? 0 : Long.parseLong(v, dot + 1, dot + 1 + fracDigits, 10);
        for (int k = fracDigits; k < 3; k++) {
            frac *= 10;
        }
        return secs * 1000 + frac;
    }

    // ---- nginx combined ----
    // $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"

    private Request combined(String s) {
        int sp = s.indexOf(' ');
        if (sp <= 0) {
            return null;
        }
        String client = s.substring(0, sp);
        int lb = s.indexOf('[', sp);
        int rb = lb < 0 ? -1 : s.indexOf(']', lb);
        if (rb < 0) {
            return null;
        }
        long time = combinedTime(s.substring(lb + 1, rb));
        int q1 = s.indexOf('"', rb);
        if (q1 < 0) {
            return null;
        }
        int q2 = s.indexOf("\" ", q1 + 1);
        if (q2 < 0) {
            return null;
        }
        String method;
        String path;
        int m = s.indexOf(' ', q1 + 1);
        if (m < 0 || m > q2) {
            method = s.substring(q1 + 1, q2); // e.g. a TLS handshake on the plain port: "\x16\x03..."
            path = "";
        } else {
            method = s.substring(q1 + 1, m);
            int p = s.lastIndexOf(' ', q2);
            path = p > m ? s.substring(m + 1, p) : s.substring(m + 1, q2);
            int q = path.indexOf('?');
            if (q >= 0 && path.length() - q - 1 > Request.MAX_QUERY) {
                path = Request.target(path.substring(0, q), path.substring(q + 1)); // cut as the JSON log's query
            }
        }
        int st = q2 + 2;
        int stEnd = s.indexOf(' ', st);
        if (stEnd < 0) {
            stEnd = s.length();
        }
        int status = Integer.parseInt(s, st, stEnd, 10);
        String ua = null;
        int last = s.lastIndexOf('"');
        if (last > stEnd) {
            int open = s.lastIndexOf('"', last - 1);
            if (open > stEnd) {
                ua = blank(s.substring(open + 1, last));
            }
        }
        return new Request(time, null, client, method, path, status, ua, s);
    }

    private long combinedTime(String text) {
        if (!text.equals(lastTimeText)) {
            lastTimeMillis =
                    OffsetDateTime.parse(text, COMBINED_TIME).toInstant().toEpochMilli();
            lastTimeText = text;
        }
        return lastTimeMillis;
    }

    private static String blank(String v) {
        return v == null || v.isEmpty() || v.equals("-") ? null : v;
    }
}
