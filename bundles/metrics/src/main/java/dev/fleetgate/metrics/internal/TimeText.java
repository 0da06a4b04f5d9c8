package dev.fleetgate.metrics.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Times and durations as query parameters: {@code 2026-11-22T10:00:00Z}, epoch millis, {@code now-1h}; {@code 10s}, {@code 5m}. */
public final class TimeText {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)?");
    private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d{1,9}(?:ms|s|m|h|d|w)))?");
    private static final Pattern MILLIS = Pattern.compile("-?\\d{1,15}");

    private TimeText() {}

    /** @return the duration in milliseconds; a bare number is seconds; null when malformed */
    public static Long duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return n
                * switch (unit) {
                    case "ms" -> 1L;
                    case "s" -> 1000L;
                    case "m" -> 60_000L;
                    case "h" -> 3_600_000L;
                    case "d" -> 86_400_000L;
                    default -> 604_800_000L;
                };
    }

    /** @return epoch millis of an ISO-8601 time, epoch millis or {@code now[-duration]}; null when malformed */
    public static Long time(String text, long nowMillis) {
        String t = text.strip();
        if (MILLIS.matcher(t).matches()) {
            return Long.parseLong(t);
        }
        Matcher rel = RELATIVE.matcher(t);
        if (rel.matches()) {
            return rel.group(1) == null ? nowMillis : nowMillis - duration(rel.group(1));
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** @return {@code 10s}, {@code 5m}, {@code 1h}… for whole units, else millis with {@code ms} */
    public static String format(long millis) {
        if (millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1000L == 0) {
            return millis / 1000L + "s";
        }
        return millis + "ms";
    }
}
