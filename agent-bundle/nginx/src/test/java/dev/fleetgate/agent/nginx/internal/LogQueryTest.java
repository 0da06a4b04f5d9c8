package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code logs.nginx} task: tail, cursor, filter, bounds, rotation. */
class LogQueryTest {

    @TempDir
    Path dir;

    private JsonNode run(ObjectNode payload) throws Exception {
        return new LogQuery(dir).run(LogQuery.request(payload));
    }

    private ObjectNode payload(String log) {
        return Spec.JSON.createObjectNode().put("log", log);
    }

    private void access(int from, int to) throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append("{\"time\":1763790000.")
                    .append(String.format("%03d", i % 1000))
                    .append(",\"path\":\"/p")
                    .append(i)
                    .append(i % 10 == 0 ? "/Special" : "")
                    .append("\",\"status\":200}\n");
        }
        Files.writeString(
                dir.resolve("access.log"),
                s,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static List<String> paths(JsonNode result) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : result.path("lines")) {
            out.add(l.path("text").asText().replaceAll(".*\"path\":\"([^\"]*)\".*", "$1"));
        }
        return out;
    }

    @Test
    void tailThenCursorGivesEveryLineOnce() throws Exception {
        access(0, 50);
        JsonNode first = run(payload("access").put("tail", 3));
        assertEquals(List.of("/p47", "/p48", "/p49"), paths(first));
        assertEquals("access", first.path("lines").get(0).path("stream").asText());
        assertTrue(
                first.path("lines").get(0).path("timestamp").asText().startsWith("2025-11-22T05:40:00"),
                first.path("lines").get(0).toString());
        access(50, 55);
        JsonNode next = run(payload("access").put("cursor", first.path("cursor").asText()));
        assertEquals(List.of("/p50/Special", "/p51", "/p52", "/p53", "/p54"), paths(next));
        assertFalse(next.path("truncated").asBoolean());
        JsonNode none = run(payload("access").put("cursor", next.path("cursor").asText()));
        assertEquals(List.of(), paths(none));
    }

    @Test
    void limitTruncatesAndTheCursorContinues() throws Exception {
        access(0, 10);
        String cursor = run(payload("access").put("tail", 0)).path("cursor").asText();
        access(10, 30);
        JsonNode a = run(payload("access").put("cursor", cursor).put("limit", 8));
        assertEquals(8, a.path("lines").size());
        assertTrue(a.path("truncated").asBoolean());
        JsonNode b =
                run(payload("access").put("cursor", a.path("cursor").asText()).put("limit", 100));
        List<String> all = new ArrayList<>(paths(a));
        all.addAll(paths(b));
        assertEquals(20, all.size());
        assertEquals("/p10/Special", all.get(0));
        assertEquals("/p29", all.get(19));
        JsonNode small = run(payload("access").put("cursor", cursor).put("maxBytes", 100));
        assertEquals(1, small.path("lines").size(), "at least one line, then the byte bound");
    }

    @Test
    void aNulInTheErrorLogIsReplacedBothInTailAndAfterACursor() throws Exception {
        Files.writeString(dir.resolve("error.log"), "2026/11/22 05:35:01 [warn] 1#1: a\u0000b\n");
        JsonNode tail = run(payload("error").put("tail", 10));
        assertEquals(
                "2026/11/22 05:35:01 [warn] 1#1: a\uFFFDb",
                tail.path("lines").get(0).path("text").asText());
        Files.writeString(
                dir.resolve("error.log"), "2026/11/22 05:35:02 [warn] 1#1: \u0000\n", StandardOpenOption.APPEND);
        JsonNode next = run(payload("error").put("cursor", tail.path("cursor").asText()));
        assertEquals(
                "2026/11/22 05:35:02 [warn] 1#1: \uFFFD",
                next.path("lines").get(0).path("text").asText());
        assertFalse(Spec.JSON.writeValueAsString(next).contains("\\u0000"));
    }

    @Test
    void filterIsCaseInsensitive() throws Exception {
        access(0, 40);
        assertEquals(
                List.of("/p20/Special", "/p30/Special"),
                paths(run(payload("access").put("tail", 2).put("filter", "special"))));
    }

    @Test
    void aCursorSurvivesRotation() throws Exception {
        access(0, 5);
        String cursor = run(payload("access").put("tail", 1)).path("cursor").asText();
        access(5, 7);
        Files.move(dir.resolve("access.log"), dir.resolve("access.log.1"));
        access(7, 9);
        assertEquals(
                List.of("/p5", "/p6", "/p7", "/p8"), paths(run(payload("access").put("cursor", cursor))));
        assertEquals(
                List.of("/p3", "/p4", "/p5", "/p6", "/p7", "/p8"),
                paths(run(payload("access").put("tail", 6))),
                "tail reaches into the rotated file");
    }

    @Test
    void anIncompleteLastLineWaitsForItsEnd() throws Exception {
        Files.writeString(
                dir.resolve("error.log"), "2026/11/22 05:35:01 [emerg] 1#1: first\n2026/11/22 05:35:02 [warn] half");
        JsonNode r = run(payload("error").put("tail", 10));
        assertEquals(1, r.path("lines").size());
        assertEquals("error", r.path("lines").get(0).path("stream").asText());
        assertTrue(r.path("lines").get(0).path("timestamp").asText().startsWith("2026-11-22T"));
        Files.writeString(dir.resolve("error.log"), " done\n", StandardOpenOption.APPEND);
        JsonNode n = run(payload("error").put("cursor", r.path("cursor").asText()));
        assertEquals(
                "2026/11/22 05:35:02 [warn] half done",
                n.path("lines").get(0).path("text").asText());
    }

    @Test
    void invalidPayloadsFail() {
        assertThrows(IllegalArgumentException.class, () -> LogQuery.request(payload("other")));
        assertThrows(
                IllegalArgumentException.class,
                () -> LogQuery.request(payload("access").put("limit", 0)));
        assertThrows(IllegalArgumentException.class, () -> run(payload("access").put("cursor", "garbage!")));
    }

    @Test
    void missingLogsGiveNoLines() throws Exception {
        JsonNode r = run(payload("access"));
        assertEquals(0, r.path("lines").size());
        access(0, 2);
        assertEquals(
                List.of("/p0/Special", "/p1"),
                paths(run(payload("access").put("cursor", r.path("cursor").asText()))));
    }
}
