package dev.fleetgate.agent.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class LogCursorTest {

    @Test
    void roundTripsAndGivesSinceWithNanos() {
        LogCursor c = new LogCursor(Instant.parse("2026-11-22T10:00:00.000123400Z"), 3);
        assertEquals(c, LogCursor.decode(c.encode()));
        assertEquals("1795341600.000123400", c.since());
        assertFalse(c.encode().contains(":"), "opaque");
        assertEquals("0.000000000", LogCursor.START.since());
    }

    @Test
    void rejectsForeignCursors() {
        assertThrows(IllegalArgumentException.class, () -> LogCursor.decode("nope"));
        assertThrows(IllegalArgumentException.class, () -> LogCursor.decode(""));
        assertThrows(
                IllegalArgumentException.class,
                () -> LogCursor.decode(java.util.Base64.getUrlEncoder().encodeToString("v1:1.5:1".getBytes())));
        assertThrows(
                IllegalArgumentException.class,
                () -> LogCursor.decode(
                        java.util.Base64.getUrlEncoder().encodeToString("v1:1.000000000:-1".getBytes())));
    }

    @Test
    void queryValidation() {
        ObjectMapper json = new ObjectMapper();
        LogQuery q = LogQuery.parse(json.createObjectNode().put("container", "/fg-shop-0-abc123"));
        assertEquals("fg-shop-0-abc123", q.container());
        assertEquals(100, q.tail());
        assertEquals(500, q.limit());
        assertEquals(262_144, q.maxBytes());
        assertTrue(q.everything());
        assertThrows(
                IllegalArgumentException.class,
                () -> LogQuery.parse(json.createObjectNode().put("container", "a/b")));
        assertThrows(
                IllegalArgumentException.class,
                () -> LogQuery.parse(
                        json.createObjectNode().put("container", "a").put("limit", 5001)));
        assertThrows(
                IllegalArgumentException.class,
                () -> LogQuery.parse(json.createObjectNode()
                        .put("container", "a")
                        .put("stdout", false)
                        .put("stderr", false)));
        LogQuery f = LogQuery.parse(json.createObjectNode()
                .put("container", "a")
                .put("filter", "ERROR")
                .put("stderr", false));
        assertTrue(f.wants("stdout", "an error here"));
        assertFalse(f.wants("stderr", "an error here"));
        assertFalse(f.wants("stdout", "all fine"));
    }

    @Test
    void parsesMultiplexedFramesAndCutsLongLines() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, 1, "2026-11-22T10:00:00.1Z hello\n");
        frame(out, 2, "2026-11-22T10:00:00.2Z oops\n");
        frame(out, 1, "2026-11-22T10:00:00.3Z " + "x".repeat(50) + "\n");
        LogStream s = new LogStream(new ByteArrayInputStream(out.toByteArray()), false, 10);
        LogStream.Line a = s.next();
        assertEquals(new LogStream.Line(Instant.parse("2026-11-22T10:00:00.1Z"), "stdout", "hello"), a);
        assertEquals("stderr", s.next().stream());
        assertEquals("x".repeat(10) + "…", s.next().text());
        assertEquals(null, s.next());
    }

    @Test
    void parsesTtyStreams() throws Exception {
        byte[] raw = "2026-11-22T10:00:00.1Z one\r\n2026-11-22T10:00:00.2Z two\n".getBytes(StandardCharsets.UTF_8);
        LogStream s = new LogStream(new ByteArrayInputStream(raw), true, 100);
        assertEquals("one", s.next().text());
        assertEquals("two", s.next().text());
        assertEquals(null, s.next());
    }

    private static void frame(ByteArrayOutputStream out, int stream, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write(stream);
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(b.length >>> 24);
        out.write(b.length >>> 16);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.write(b, 0, b.length);
    }
}
