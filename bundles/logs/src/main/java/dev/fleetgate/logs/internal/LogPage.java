package dev.fleetgate.logs.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One answer: log lines oldest first, the cursor to continue after the last one, and
 * whether more lines were waiting. Built from the agent's task result and bounded again
 * here, so that no agent can make the core answer more than asked.
 */
public record LogPage(List<Line> lines, String cursor, boolean truncated) {
    static final String ELLIPSIS = "…";

    /** One log line; {@code timestamp} is RFC 3339 with nanoseconds when the source has one. */
    public record Line(String timestamp, String stream, String text) {}

    /**
     * @param result        the agent's result: {@code {"lines":[{timestamp,stream,text}],"cursor","truncated"}}
     * @param defaultStream the stream of lines that name none
     * @param limit         lines at most
     * @param maxBytes      about how many characters of text at most; a longer line is cut with "…"
     * @return the page, or null when {@code result} is not of that shape
     */
    public static LogPage from(JsonNode result, String defaultStream, int limit, int maxBytes) {
        if (result == null || !result.isObject() || !result.path("lines").isArray()) {
            return null;
        }
        JsonNode in = result.get("lines");
        List<Line> lines = new ArrayList<>(Math.min(in.size(), limit));
        boolean truncated = result.path("truncated").asBoolean(false);
        long budget = maxBytes;
        for (JsonNode l : in) {
            if (lines.size() == limit || budget <= 0) {
                truncated = true; // the agent sent more than asked; the cursor is still the agent's
                break;
            }
            String text = l.path("text").isValueNode() ? l.path("text").asText() : "";
            if (text.length() > budget) {
                text = text.substring(0, (int) Math.max(0, budget - 1)) + ELLIPSIS;
            }
            budget -= text.length();
            lines.add(new Line(value(l.get("timestamp")), value(l.get("stream"), defaultStream), text));
        }
        return new LogPage(List.copyOf(lines), value(result.get("cursor")), truncated);
    }

    private static String value(JsonNode n) {
        return value(n, null);
    }

    private static String value(JsonNode n, String dflt) {
        return n == null || n.isNull() || !n.isValueNode() ? dflt : n.asText();
    }
}
