package dev.fleetgate.agent.metrics.internal;

import java.util.regex.Pattern;

/** Prometheus naming rules, and sanitising of foreign names (JSON keys). */
public final class MetricNames {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Longest metric name or label value sent (the core accepts names up to 200, values up to 512). */
    public static final int MAX_LENGTH = 200;
    /** Longest label name (the core's limit). */
    public static final int MAX_LABEL_NAME = 100;
    /** Most labels on a series (the core's limit). */
    public static final int MAX_LABELS = 30;

    private MetricNames() {}

    public static boolean validName(String name) {
        return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
    }

    public static boolean validLabel(String label) {
        return label != null
                && label.length() <= MAX_LABEL_NAME
                && LABEL.matcher(label).matches()
                && !label.startsWith("__");
    }

    /** Whether a label value is acceptable as it is: at most {@value #MAX_LENGTH} characters, no control characters. */
    public static boolean validValue(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A foreign label value made acceptable: control characters become spaces, cut at {@value #MAX_LENGTH}. */
    public static String cleanValue(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_LENGTH));
        for (int i = 0; i < value.length() && out.length() < MAX_LENGTH; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    /** Lower-cases and replaces every character outside {@code [a-z0-9_]} with {@code _}. */
    public static String sanitize(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (char c : raw.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
        }
        String name = out.toString().replaceAll("_+", "_").replaceAll("^_|_$", "");
        return name.isEmpty() ? "value" : name;
    }
}
