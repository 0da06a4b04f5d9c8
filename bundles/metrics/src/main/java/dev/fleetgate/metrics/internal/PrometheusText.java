package dev.fleetgate.metrics.internal;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Writes the Prometheus text exposition format (version 0.0.4). */
public final class PrometheusText {
    private final StringBuilder out = new StringBuilder(4096);
    private String currentName;

    /** Starts a metric family: {@code # HELP} (when given) and {@code # TYPE} lines. */
    public PrometheusText family(String name, String type, String help) {
        currentName = name;
        if (help != null) {
            out.append("# HELP ")
                    .append(name)
                    .append(' ')
                    .append(escapeHelp(help))
                    .append('\n');
        }
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample of the current family; labels are written in name order (deterministic output). */
    public PrometheusText sample(Map<String, String> labels, double value) {
        out.append(currentName);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            Map<String, String> ordered = labels instanceof SortedMap ? labels : new TreeMap<>(labels);
            for (Map.Entry<String, String> e : ordered.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(e.getKey())
                        .append("=\"")
                        .append(escapeLabel(e.getValue()))
                        .append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    public PrometheusText sample(double value) {
        return sample(Map.of(), value);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** Label values escape backslash, double quote and line feed. */
    public static String escapeLabel(String v) {
        StringBuilder b = null;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            String rep = c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : null;
            if (rep != null && b == null) {
                b = new StringBuilder(v.length() + 8).append(v, 0, i);
            }
            if (b != null) {
                if (rep != null) {
                    b.append(rep);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? v : b.toString();
    }

    /** HELP text escapes backslash and line feed. */
    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
