package dev.fleetgate.agent.docker.internal;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** The validated payload of a {@code logs.container} task. */
public record LogQuery(
        String container,
        int tail,
        LogCursor cursor,
        String filter,
        boolean stdout,
        boolean stderr,
        int limit,
        int maxBytes,
        boolean unmanaged) {

    public static final int MAX_LIMIT = 5000;
    public static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public static LogQuery parse(JsonNode p) {
        String container = p.path("container").asText("");
        if (container.startsWith("/")) {
            container = container.substring(1);
        }
        if (!CONTAINER.matcher(container).matches()) {
            throw new IllegalArgumentException("container: must be a container id, id prefix or name");
        }
        int tail = integer(p, "tail", 100, 0, MAX_LIMIT);
        LogCursor cursor =
                p.hasNonNull("cursor") ? LogCursor.decode(p.get("cursor").asText()) : null;
        String filter = p.hasNonNull("filter") ? p.get("filter").asText() : null;
        if (filter != null && filter.isEmpty()) {
            filter = null;
        }
        if (filter != null && filter.length() > 500) {
            throw new IllegalArgumentException("filter: at most 500 characters");
        }
        boolean stdout = p.path("stdout").asBoolean(true);
        boolean stderr = p.path("stderr").asBoolean(true);
        if (!stdout && !stderr) {
            throw new IllegalArgumentException("stdout, stderr: at least one must be true");
        }
        int limit = integer(p, "limit", 500, 1, MAX_LIMIT);
        int maxBytes = integer(p, "maxBytes", 262_144, 1024, MAX_BYTES);
        JsonNode unmanaged = p.get("unmanaged");
        if (unmanaged != null && !unmanaged.isNull() && !unmanaged.isBoolean()) {
            throw new IllegalArgumentException("unmanaged: must be a boolean");
        }
        return new LogQuery(
                container,
                tail,
                cursor,
                filter,
                stdout,
                stderr,
                limit,
                maxBytes,
                unmanaged != null && unmanaged.asBoolean());
    }

    private static int integer(JsonNode p, String field, int fallback, int min, int max) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw new IllegalArgumentException(field + ": must be an integer " + min + ".." + max);
        }
        return v.asInt();
    }

    /** @return whether every line is wanted (no filter, both streams) */
    boolean everything() {
        return filter == null && stdout && stderr;
    }

    boolean wants(String stream, String text) {
        if ("stdout".equals(stream) ? !stdout : !stderr) {
            return false;
        }
        return filter == null || containsIgnoreCase(text, filter);
    }

    static boolean containsIgnoreCase(String text, String needle) {
        int n = needle.length();
        for (int i = 0, last = text.length() - n; i <= last; i++) {
            if (text.regionMatches(true, i, needle, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
