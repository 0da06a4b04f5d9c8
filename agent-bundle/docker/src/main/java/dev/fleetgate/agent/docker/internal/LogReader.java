package dev.fleetgate.agent.docker.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient.Response;

/**
 * Answers {@code logs.container}: the last {@code tail} lines (optionally filtered), or the
 * lines after a cursor, bounded by {@code limit} lines and about {@code maxBytes} of text. The
 * engine's stream is read line by line and closed as soon as the answer is complete.
 */
public final class LogReader {

    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_LINE_CHARS = 16_384;
    private static final long ALL = Long.MAX_VALUE;

    private final DockerApi api;

    public LogReader(DockerApi api) {
        this.api = api;
    }

    /**
     * Position while reading: the newest timestamp seen and how many lines carried it. Docker
     * stamps stdout and stderr on separate copiers, so the log file can hold a line stamped a
     * little earlier than the one before it (seen in CI: "e 3000" on stderr written after
     * "n 2971".."n 3000", stamped before them). Such a line does not move the position back:
     * a cursor taken at the older stamp would read the newer lines again.
     */
    static final class Position {
        Instant ts;
        int count;

        Position(Instant ts, int count) {
            this.ts = ts;
            this.count = count;
        }

        void advance(Instant t) {
            int c = t.compareTo(ts);
            if (c == 0) {
                count++;
            } else if (c > 0) {
                ts = t;
                count = 1;
            }
        }

        LogCursor cursor() {
            return new LogCursor(ts, count);
        }

        /** After every line stamped {@code ts}: later lines have later stamps. */
        LogCursor endOfGroup() {
            return new LogCursor(ts, Integer.MAX_VALUE);
        }
    }

    /**
     * @throws IllegalArgumentException for an unknown container ("no such container: X"), and for a container that
     *                                  Fleetgate does not manage (label {@code fleetgate.managed=true}) unless the
     *                                  query says {@code unmanaged} (the core sends it for admins who ask)
     */
    public ObjectNode read(LogQuery q) throws IOException {
        JsonNode container;
        try {
            container = api.get("/containers/" + DockerApi.q(q.container()) + "/json");
        } catch (DockerException e) {
            if (e.notFound()) {
                throw new IllegalArgumentException("no such container: " + q.container());
            }
            throw e;
        }
        if (!q.unmanaged()
                && !"true"
                        .equals(container
                                .path("Config")
                                .path("Labels")
                                .path(Labels.MANAGED)
                                .asText())) {
            // the same answer as for a missing container: nothing about the host's other containers leaks
            throw new IllegalArgumentException("no such container: " + q.container());
        }
        String base = "/containers/" + container.path("Id").asText() + "/logs?stdout=1&stderr=1&timestamps=1";
        boolean tty = container.path("Config").path("Tty").asBoolean();
        int maxLine = Math.min(MAX_LINE_CHARS, q.maxBytes());
        return q.cursor() == null ? tail(q, base, tty, maxLine) : since(q, base, tty, maxLine);
    }

    private ObjectNode tail(LogQuery q, String base, boolean tty, int maxLine) throws IOException {
        // Docker's json-file driver reads about 100k lines/s and a large tail=N is slower than a
        // whole forward read: one small window first, then (when it holds too few matches) all.
        long window = q.everything() ? Math.max(1, q.tail()) : Math.max(1000, q.tail() * 8L);
        while (true) {
            Deque<LogStream.Line> ring = new ArrayDeque<>();
            Position pos = null;
            long read = 0;
            boolean all = window >= ALL;
            try (Response response = api.stream(base + (all ? "" : "&tail=" + window));
                    LogStream lines = new LogStream(response.getBody(), tty, maxLine)) {
                LogStream.Line line;
                while ((line = lines.next()) != null) {
                    read++;
                    if (pos == null) {
                        pos = new Position(line.timestamp(), 1);
                    } else {
                        pos.advance(line.timestamp());
                    }
                    if (q.tail() > 0 && q.wants(line.stream(), line.text())) {
                        ring.addLast(line);
                        if (ring.size() > q.tail()) {
                            ring.removeFirst();
                        }
                    }
                }
            }
            if (ring.size() >= q.tail() || read < window || all) {
                // The cursor stands after the newest line: every line stamped like it is read. Counting
                // them in this window alone fell short when the group began before the window (a
                // container writing many lines at once gets one timestamp for all), and the next
                // read then repeated the rest of the group.
                return newest(ring, pos == null ? LogCursor.START : pos.endOfGroup(), q);
            }
            window = ALL;
        }
    }

    /** Keeps the newest lines within the limits. */
    private static ObjectNode newest(Deque<LogStream.Line> ring, LogCursor cursor, LogQuery q) {
        List<LogStream.Line> kept = new ArrayList<>();
        long bytes = 0;
        boolean truncated = false;
        for (var it = ring.descendingIterator(); it.hasNext(); ) {
            LogStream.Line line = it.next();
            if (kept.size() >= q.limit() || (bytes + line.text().length() > q.maxBytes() && !kept.isEmpty())) {
                truncated = true;
                break;
            }
            bytes += line.text().length();
            kept.add(line);
        }
        java.util.Collections.reverse(kept);
        return answer(kept, cursor, truncated);
    }

    private ObjectNode since(LogQuery q, String base, boolean tty, int maxLine) throws IOException {
        // Docker answers since=T by reading the log file from its start: first try the end of
        // the log, which holds the cursor when few lines came since (the usual follow case).
        LogCursor from = q.cursor();
        long window = Math.max(1000, q.limit() * 2L);
        List<LogStream.Line> recent = new ArrayList<>();
        try (Response response = api.stream(base + "&tail=" + window);
                LogStream lines = new LogStream(response.getBody(), tty, maxLine)) {
            LogStream.Line line;
            while ((line = lines.next()) != null) {
                recent.add(line);
            }
        }
        if (recent.size() < window || recent.get(0).timestamp().isBefore(from.timestamp())) {
            var it = recent.iterator();
            return after(q, () -> it.hasNext() ? it.next() : null);
        }
        try (Response response = api.stream(base + "&since=" + from.since());
                LogStream lines = new LogStream(response.getBody(), tty, maxLine)) {
            return after(q, lines::next);
        }
    }

    /** A source of lines, oldest first; null at the end. */
    interface Lines {
        LogStream.Line next() throws IOException;
    }

    /**
     * The lines after the cursor, within the limits. A line stamped before the cursor is old; of
     * the lines stamped exactly like it, the first {@code count} are old. A line stamped before
     * the newest one already read (the other stream's copier, see {@link Position}) is returned
     * when it is newer than the cursor; the next cursor still stands at the newest stamp.
     */
    static ObjectNode after(LogQuery q, Lines lines) throws IOException {
        LogCursor from = q.cursor();
        List<LogStream.Line> out = new ArrayList<>();
        Position pos = new Position(from.timestamp(), from.count());
        int atFrom = 0;
        LogCursor scanned = from;
        LogCursor lastReturned = from;
        long bytes = 0;
        boolean truncated = false;
        LogStream.Line line;
        while ((line = lines.next()) != null) {
            int c = line.timestamp().compareTo(from.timestamp());
            if (c < 0 || (c == 0 && ++atFrom <= from.count())) {
                continue;
            }
            boolean wanted = q.wants(line.stream(), line.text());
            if (wanted
                    && (out.size() >= q.limit() || (bytes + line.text().length() > q.maxBytes() && !out.isEmpty()))) {
                truncated = true;
                break;
            }
            pos.advance(line.timestamp());
            if (wanted) {
                out.add(line);
                bytes += line.text().length();
                lastReturned = pos.cursor();
            }
            scanned = pos.cursor();
        }
        return answer(out, truncated ? lastReturned : scanned, truncated);
    }

    private static ObjectNode answer(List<LogStream.Line> lines, LogCursor cursor, boolean truncated) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        ArrayNode array = result.putArray("lines");
        for (LogStream.Line line : lines) {
            ObjectNode n = array.addObject();
            n.put("timestamp", TS.format(line.timestamp()));
            n.put("stream", line.stream());
            n.put("text", line.text());
        }
        result.put("cursor", cursor.encode());
        result.put("truncated", truncated);
        return result;
    }
}
