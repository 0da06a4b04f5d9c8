package dev.fleetgate.agent.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Cursor arithmetic of {@link LogReader} over a log whose two streams are stamped out of order. */
class LogReaderTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    private static LogStream.Line out(long micros, String text) {
        return new LogStream.Line(T.plusNanos(micros * 1000), "stdout", text);
    }

    private static LogStream.Line err(long micros, String text) {
        return new LogStream.Line(T.plusNanos(micros * 1000), "stderr", text);
    }

    /** As Docker wrote it in a CI run: stdout's lines share one stamp, stderr's later line an earlier one. */
    private static final List<LogStream.Line> LOG = List.of(out(1, "n 1"), out(3, "n 2"), out(3, "n 3"), err(2, "e 3"));

    private static JsonNode after(LogCursor cursor, List<LogStream.Line> log, Integer limit) throws Exception {
        ObjectNode p =
                JsonNodeFactory.instance.objectNode().put("container", "c").put("cursor", cursor.encode());
        if (limit != null) {
            p.put("limit", limit);
        }
        Iterator<LogStream.Line> it = log.iterator();
        return LogReader.after(LogQuery.parse(p), () -> it.hasNext() ? it.next() : null);
    }

    private static List<String> texts(JsonNode r) {
        List<String> t = new ArrayList<>();
        r.path("lines").forEach(l -> t.add(l.path("text").asText()));
        return t;
    }

    private static LogCursor tailCursor(List<LogStream.Line> log) {
        LogReader.Position pos = new LogReader.Position(log.get(0).timestamp(), 1);
        log.subList(1, log.size()).forEach(l -> pos.advance(l.timestamp()));
        return pos.endOfGroup();
    }

    @Test
    void aLineStampedEarlierThanTheOneBeforeItDoesNotMoveTheCursorBack() throws Exception {
        LogCursor cursor = tailCursor(LOG);
        assertEquals(T.plusNanos(3000), cursor.timestamp());
        assertEquals(List.of(), texts(after(cursor, LOG, null)), "nothing new after a tail");

        List<LogStream.Line> grown = new ArrayList<>(LOG);
        grown.add(out(4, "n 4"));
        JsonNode r = after(cursor, grown, null);
        assertEquals(List.of("n 4"), texts(r));
        assertEquals(List.of(), texts(after(LogCursor.decode(r.path("cursor").asText()), grown, null)));
    }

    @Test
    void oneReadGivesOutOfOrderLinesAndPagesRepeatNothing() throws Exception {
        List<LogStream.Line> log =
                List.of(out(1, "n 1"), out(3, "n 2"), out(3, "n 3"), err(2, "e 3"), out(5, "n 4"), err(4, "e 4"));
        assertEquals(List.of("n 1", "n 2", "n 3", "e 3", "n 4", "e 4"), texts(after(new LogCursor(T, 0), log, null)));

        List<String> seen = new ArrayList<>();
        LogCursor cursor = new LogCursor(T, 0);
        for (int page = 0; page < 10; page++) {
            JsonNode r = after(cursor, log, 1);
            seen.addAll(texts(r));
            cursor = LogCursor.decode(r.path("cursor").asText());
            if (texts(r).isEmpty()) {
                break;
            }
        }
        // A page ending on a line newer than the other stream's next line leaves that line behind
        // its cursor: the limit of a stamp-based cursor (LogReader.Position), never a repeat.
        assertEquals(List.of("n 1", "n 2", "n 3", "n 4"), seen);
    }
}
