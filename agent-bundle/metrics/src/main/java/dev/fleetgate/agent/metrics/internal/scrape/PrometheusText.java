package dev.fleetgate.agent.metrics.internal.scrape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.fleetgate.agent.metrics.internal.MetricNames;

/**
 * Parser of the Prometheus text exposition format (0.0.4): each sample line
 * {@code name{label="value",...} value [timestamp]} becomes one sample, so counters, gauges,
 * histogram buckets ({@code _bucket{le="0.5"}}), {@code _sum} and {@code _count} are separate
 * series. Comments ({@code # HELP}, {@code # TYPE}) are skipped; label values are unescaped;
 * non-finite values ({@code NaN}, {@code +Inf}) are skipped because JSON cannot carry them;
 * invalid lines are skipped and counted.
 */
public final class PrometheusText {

    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** The samples and the number of lines that could not be parsed. */
    public record Result(List<Sample> samples, int invalidLines) {}

    static final int MAX_SAMPLES = 10_000;

    private PrometheusText() {}

    public static Result parse(String text) {
        List<Sample> samples = new ArrayList<>();
        int invalid = 0;
        for (String rawLine : text.split("\n")) {
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (samples.size() >= MAX_SAMPLES) {
                break;
            }
            try {
                Sample sample = parseLine(line);
                if (sample != null) {
                    samples.add(sample);
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                invalid++;
            }
        }
        return new Result(samples, invalid);
    }

    /** @return the sample, or {@code null} when its value is not finite */
    static Sample parseLine(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        if (!MetricNames.validName(name)) {
            throw new IllegalArgumentException("bad name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        String[] rest = line.substring(i).trim().split("\\s+");
        if (rest.length < 1 || rest[0].isEmpty()) {
            throw new IllegalArgumentException("no value");
        }
        double value = value(rest[0]);
        return Double.isFinite(value) ? new Sample(name, labels, value) : null;
    }

    /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> labels) {
        while (true) {
            while (line.charAt(i) == ' ' || line.charAt(i) == ',') {
                i++;
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            String label = line.substring(i, eq).trim();
            if (!MetricNames.validLabel(label) || line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("bad label");
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                j++;
            }
            if (value.length() > MetricNames.MAX_LENGTH) {
                throw new IllegalArgumentException("label value too long");
            }
            labels.put(label, value.toString());
            i = j + 1;
        }
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
