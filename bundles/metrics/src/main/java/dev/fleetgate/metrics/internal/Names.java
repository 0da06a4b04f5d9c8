package dev.fleetgate.metrics.internal;

/** Character rules for metric and label names (Prometheus data model). */
public final class Names {
    public static final int MAX_NAME = 200;
    public static final int MAX_LABEL_NAME = 100;
    public static final int MAX_LABEL_VALUE = 512;
    public static final int MAX_LABELS = 30;
    /** The label the core sets to the sending agent's id. */
    public static final String AGENT = "agent";

    private Names() {}

    public static boolean isMetricName(String s) {
        return matches(s, MAX_NAME, true);
    }

    /** Label names; names starting with {@code __} are reserved. */
    public static boolean isLabelName(String s) {
        return matches(s, MAX_LABEL_NAME, false) && !s.startsWith("__");
    }

    /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*} (colons only in metric names), at most {@code max} characters; a loop, not a regex: it runs for every label of every ingested series. */
    private static boolean matches(String s, int max, boolean colon) {
        if (s == null || s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || c == '_'
                    || (colon && c == ':')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Label values: at most {@value #MAX_LABEL_VALUE} characters, no control characters. */
    public static boolean isLabelValue(String s) {
        if (s == null || s.length() > MAX_LABEL_VALUE) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
