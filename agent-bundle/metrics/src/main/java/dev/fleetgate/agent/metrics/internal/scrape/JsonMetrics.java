package dev.fleetgate.agent.metrics.internal.scrape;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agent.metrics.internal.MetricNames;

/**
 * Turns a JSON status document into {@code custom_<key>} values: numbers as they are, booleans
 * as 1/0, strings when they read as a number ({@code "12.5"}), a percentage ({@code "30%"} → 30),
 * a duration ({@code "1d 2h"}, {@code "3h4m5s"}, {@code "250ms"} → seconds) or a size
 * ({@code "512MB"}, {@code "1.5 GiB"} → bytes). Nested objects are flattened with {@code _}
 * ({@code {"db": {"conns": 3}}} → {@code custom_db_conns}); arrays and other strings are skipped.
 */
public final class JsonMetrics {

    static final int MAX_VALUES = 500;
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern PERCENT = Pattern.compile("([-+]?\\d+(?:\\.\\d+)?)\\s*%");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|w|d|h|m|s)");
    private static final Pattern DURATION = Pattern.compile("(\\s*\\d+(?:\\.\\d+)?\\s*(ms|w|d|h|m|s)\\s*)+");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtTpP]i?[bB]|[bB])");

    private JsonMetrics() {}

    /** @return values by metric name ({@code custom_...}), in document order, at most {@value #MAX_VALUES} */
    public static Map<String, Double> parse(JsonNode document) {
        Map<String, Double> values = new LinkedHashMap<>();
        walk("custom", document, values, 0);
        return values;
    }

    private static void walk(String prefix, JsonNode node, Map<String, Double> values, int depth) {
        if (!node.isObject() || depth > 5) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (values.size() >= MAX_VALUES) {
                return;
            }
            String name = prefix + "_" + MetricNames.sanitize(field.getKey());
            JsonNode value = field.getValue();
            if (value.isObject()) {
                walk(name, value, values, depth + 1);
            } else if (value.isNumber()) {
                values.put(name, value.asDouble());
            } else if (value.isBoolean()) {
                values.put(name, value.asBoolean() ? 1.0 : 0.0);
            } else if (value.isTextual()) {
                Double parsed = parseText(value.asText());
                if (parsed != null) {
                    values.put(name, parsed);
                }
            }
        }
    }

    /** A number, percentage, duration (seconds) or size (bytes) written as text, or {@code null}. */
    public static Double parseText(String raw) {
        String text = raw.trim();
        if (text.isEmpty() || text.length() > 64) {
            return null;
        }
        if (NUMBER.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        Matcher percent = PERCENT.matcher(text);
        if (percent.matches()) {
            return Double.parseDouble(percent.group(1));
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (DURATION.matcher(lower).matches()) {
            double seconds = 0;
            Matcher part = DURATION_PART.matcher(lower);
            while (part.find()) {
                double n = Double.parseDouble(part.group(1));
                seconds += switch (part.group(2)) {
                    case "ms" -> n / 1000;
                    case "s" -> n;
                    case "m" -> n * 60;
                    case "h" -> n * 3600;
                    case "d" -> n * 86400;
                    default -> n * 604800;
                };
            }
            return seconds;
        }
        Matcher size = SIZE.matcher(text);
        if (size.matches()) {
            String unit = size.group(2).toUpperCase(Locale.ROOT);
            double base = unit.contains("I") ? 1024 : 1000;
            int power = "BKMGTP".indexOf(unit.charAt(0));
            return Double.parseDouble(size.group(1)) * Math.pow(base, power);
        }
        return null;
    }
}
