package dev.fleetgate.metrics.internal;

import java.util.regex.Pattern;

/** Character rules for metric and label names (Prometheus data model). */
public final class Names {
    public static final int MAX_NAME = 200;
    public static final int MAX_LABEL_NAME = 100;
    public static final int MAX_LABEL_VALUE = 512;
    public static final int MAX_LABELS = 30;
    /** The label the core sets to the sending agent's id. */
    public static final String AGENT = "agent";

    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]{0," + (MAX_NAME - 1) + "}");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0," + (MAX_LABEL_NAME - 1) + "}");

    private Names() {}

    public static boolean isMetricName(String s) {
        return s != null && METRIC.matcher(s).matches();
    }

    /** Label names; names starting with {@code __} are reserved. */
    public static boolean isLabelName(String s) {
        return s != null && LABEL.matcher(s).matches() && !s.startsWith("__");
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
