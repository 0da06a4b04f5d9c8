package dev.fleetgate.logs.internal;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.input.Fields;

/**
 * One validated log request: what to read and how much. Every parameter arrives as text
 * (query or path) and is checked here; all faults are answered together as one 400.
 *
 * @param tail   the last lines to read without a cursor (1..5000)
 * @param cursor where the previous answer ended (opaque, from the agent), or null
 * @param filter case-insensitive text the lines must contain, or null
 * @param stream {@code all}, {@code stdout} or {@code stderr} (containers only)
 * @param limit  lines at most after a cursor (1..5000)
 */
public record LogQuery(int tail, String cursor, String filter, String stream, int limit) {
    public static final int MAX_LINES = 5000;
    public static final int DEFAULT_TAIL = 100;
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_FILTER = 200;
    public static final int MAX_CURSOR = 512;
    /** A container id, id prefix or name as Docker allows them. */
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** @return the query, or null after recording faults in {@code errors} */
    public static LogQuery parse(
            String tail, String cursor, String filter, String stream, String limit, Fields errors) {
        Integer t = errors.integer(tail, "tail", 1, MAX_LINES, DEFAULT_TAIL);
        Integer l = errors.integer(limit, "limit", 1, MAX_LINES, DEFAULT_LIMIT);
        String c = errors.text(cursor, "cursor", MAX_CURSOR);
        String f = errors.text(filter, "filter", MAX_FILTER);
        String s = stream == null || stream.isEmpty() ? "all" : stream.toLowerCase(Locale.ROOT);
        if (!s.equals("all") && !s.equals("stdout") && !s.equals("stderr")) {
            errors.error("stream", "must be all, stdout or stderr");
            s = null;
        }
        return t == null || l == null || s == null || !errors.ok() ? null : new LogQuery(t, c, f, s, l);
    }

    /** @return the canonical agent id, or null after recording a fault */
    public static String agentId(String text, Fields errors) {
        UUID id = errors.uuid(text, "agentId", "must be an agent id (a UUID)");
        return id == null ? null : id.toString();
    }

    /** @return the container reference, or null after recording a fault */
    public static String container(String text, Fields errors) {
        if (text == null || !CONTAINER.matcher(text).matches()) {
            errors.error(
                    "containerId", "must be a container id, id prefix or name (letters, digits, _ . -; at most 128)");
            return null;
        }
        return text;
    }

    /** @return {@code access} or {@code error}, or null after recording a fault */
    public static String nginxLog(String text, Fields errors) {
        if (!"access".equals(text) && !"error".equals(text)) {
            errors.error("log", "must be access or error");
            return null;
        }
        return text;
    }

    /** The {@code logs.container} task payload (see the contract in docs/protocol.md). */
    public ObjectNode containerPayload(String container, int maxBytes) {
        ObjectNode p = common(maxBytes);
        p.put("container", container);
        p.put("stdout", !stream.equals("stderr"));
        p.put("stderr", !stream.equals("stdout"));
        return p;
    }

    /** The {@code logs.nginx} task payload. */
    public ObjectNode nginxPayload(String log, int maxBytes) {
        ObjectNode p = common(maxBytes);
        p.put("log", log);
        return p;
    }

    private ObjectNode common(int maxBytes) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("tail", tail);
        p.put("cursor", cursor);
        p.put("filter", filter);
        p.put("limit", limit);
        p.put("maxBytes", maxBytes);
        return p;
    }

    /** The same query continuing after {@code next} (the shell's follow mode). */
    public LogQuery after(String next) {
        return new LogQuery(tail, next, filter, stream, limit);
    }
}
