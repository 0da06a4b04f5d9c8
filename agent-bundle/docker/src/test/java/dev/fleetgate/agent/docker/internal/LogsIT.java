package dev.fleetgate.agent.docker.internal;

import static dev.fleetgate.agent.docker.internal.DockerFixture.JSON;
import static dev.fleetgate.agent.docker.internal.DockerFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Task {@code logs.container} against containers of the demo image that write known lines. */
class LogsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static DockerFixture docker;
    private static LogReader reader;
    /** n 1..3000 on stdout (and every 100th also "e i" on stderr), then after /tmp/go n 3001..6000. */
    private static String gated;
    /** line 1..100000 on stdout. */
    private static String big;

    @BeforeAll
    static void setUp() throws Exception {
        docker = new DockerFixture();
        reader = new LogReader(docker.api);
        gated = docker.run(
                "logs-gated",
                "/bin/sh",
                "-c",
                "i=1; while [ $i -le 3000 ]; do echo \"n $i\"; [ $((i % 100)) -eq 0 ] && echo \"e $i\" >&2; i=$((i+1)); done;"
                        + " while [ ! -e /tmp/go ]; do usleep 20000; done; seq 3001 6000 | sed 's/^/n /'; sleep 3600");
        big = docker.run("logs-big", "/bin/sh", "-c", "seq 1 100000 | sed 's/^/line /'");
        await("gated container wrote 3000 lines", WAIT, () -> last(read(
                        query(gated).put("tail", 1).put("stderr", false)))
                .equals("n 3000"));
        await("big container exited", WAIT, () -> {
            try {
                return docker.engine.containers().stream()
                        .anyMatch(c -> c.id().equals(big) && "exited".equals(c.state()));
            } catch (DockerException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void tearDown() throws Exception {
        docker.close();
    }

    static ObjectNode query(String container) {
        return JSON.createObjectNode().put("container", container);
    }

    static JsonNode read(ObjectNode payload) {
        try {
            return reader.read(LogQuery.parse(payload));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> texts(JsonNode result) {
        List<String> texts = new ArrayList<>();
        result.path("lines").forEach(l -> texts.add(l.path("text").asText()));
        return texts;
    }

    static String last(JsonNode result) {
        List<String> t = texts(result);
        return t.isEmpty() ? "" : t.get(t.size() - 1);
    }

    static List<String> numbered(String prefix, int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            lines.add(prefix + i);
        }
        return lines;
    }

    @Test
    void tailGivesTheLastLinesOldestFirstWithTimestampsAndStreams() {
        JsonNode r = read(query(gated).put("tail", 10).put("stderr", false));
        assertEquals(numbered("n ", 2991, 3000), texts(r));
        assertFalse(r.path("truncated").asBoolean());
        Instant previous = Instant.EPOCH;
        for (JsonNode line : r.path("lines")) {
            assertEquals("stdout", line.path("stream").asText());
            Instant ts = Instant.parse(line.path("timestamp").asText());
            assertFalse(ts.isBefore(previous), "oldest first");
            previous = ts;
        }
        JsonNode errors = read(query(gated).put("tail", 3).put("stdout", false));
        assertEquals(List.of("e 2800", "e 2900", "e 3000"), texts(errors));
        errors.path("lines")
                .forEach(l -> assertEquals("stderr", l.path("stream").asText()));
    }

    @Test
    void filterIsCaseInsensitiveAndGivesTheLastMatches() {
        JsonNode r = read(query(gated).put("tail", 5).put("filter", "N 29").put("stderr", false));
        assertEquals(List.of("n 2995", "n 2996", "n 2997", "n 2998", "n 2999"), texts(r));
        // n 15, n 150..159, n 1500..1599 match (111 lines): the last 100 of them
        JsonNode few = read(query(gated).put("tail", 100).put("filter", "n 15"));
        assertEquals(numbered("n ", 1500, 1599), texts(few));
        JsonNode all = read(query(gated).put("tail", 500).put("filter", "n 15"));
        assertEquals(111, texts(all).size());
    }

    @Test
    void cursorGivesOnlyNewLinesInPagesWithoutLossOrRepetition() throws Exception {
        JsonNode first = read(query(gated).put("tail", 2).put("stderr", false));
        assertEquals(List.of("n 2999", "n 3000"), texts(first));
        JsonNode none =
                read(query(gated).put("cursor", first.path("cursor").asText()).put("stderr", false));
        assertEquals(List.of(), texts(none), "nothing new yet");
        assertEquals(first.path("cursor").asText(), none.path("cursor").asText());

        docker.exec(gated, "touch", "/tmp/go");
        List<String> seen = new ArrayList<>();
        String cursor = first.path("cursor").asText();
        long deadline = System.nanoTime() + WAIT.toNanos();
        int truncatedPages = 0;
        while (seen.size() < 3000 && System.nanoTime() < deadline) {
            JsonNode page =
                    read(query(gated).put("cursor", cursor).put("limit", 700).put("stderr", false));
            assertTrue(texts(page).size() <= 700);
            truncatedPages += page.path("truncated").asBoolean() ? 1 : 0;
            seen.addAll(texts(page));
            cursor = page.path("cursor").asText();
            if (texts(page).isEmpty()) {
                Thread.sleep(50);
            }
        }
        assertEquals(numbered("n ", 3001, 6000), seen);
        assertTrue(truncatedPages >= 1, "a 700-line page of 3000 new lines says truncated");
    }

    @Test
    void aNulInALineIsReplacedAndTheLineStaysVisible() throws Exception {
        String nul =
                docker.run("logs-nul", "/bin/sh", "-c", "printf 'before\\000after\\tend\\n'; echo done; sleep 3600");
        await("the NUL container wrote its lines", WAIT, () -> last(read(query(nul)))
                .equals("done"));
        JsonNode r = read(query(nul));
        assertEquals(List.of("before\uFFFDafter\tend", "done"), texts(r));
        assertFalse(JSON.writeValueAsString(r).contains("\\u0000"), "no NUL left for PostgreSQL's jsonb to refuse");
    }

    @Test
    void aContainerFleetgateDoesNotManageIsNotFoundUnlessAskedFor() throws Exception {
        String other = docker.run("logs-other", false, "/bin/sh", "-c", "echo secret-of-another-app; sleep 3600");
        await("the unmanaged container wrote", WAIT, () -> last(read(
                        query(other).put("unmanaged", true)))
                .equals("secret-of-another-app"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> reader.read(LogQuery.parse(query(other))));
        assertEquals("no such container: " + other, e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> LogQuery.parse(query(other).put("unmanaged", "yes")));
    }

    @Test
    void unknownContainerFails() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> reader.read(LogQuery.parse(query("fg-no-such-container-xyz"))));
        assertEquals("no such container: fg-no-such-container-xyz", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogQuery.parse(query("../etc")));
    }

    @Test
    void aHundredThousandLineLogGivesBoundedPages() {
        assertEquals(numbered("line ", 99_901, 100_000), texts(read(query(big).put("tail", 100))));

        JsonNode bounded = read(query(big).put("tail", 5000).put("maxBytes", 20_000));
        List<String> lines = texts(bounded);
        assertTrue(bounded.path("truncated").asBoolean());
        assertTrue(lines.stream().mapToInt(String::length).sum() <= 20_000);
        assertEquals("line 100000", lines.get(lines.size() - 1), "the newest lines are kept");

        JsonNode filtered = read(query(big).put("tail", 100).put("filter", "line 5000"));
        List<String> expected = new ArrayList<>(List.of("line 5000"));
        expected.addAll(numbered("line 5000", 0, 9));
        assertEquals(expected, texts(filtered));

        JsonNode limited = read(query(big).put("tail", 5000).put("limit", 1000));
        assertEquals(1000, texts(limited).size());
        assertEquals("line 100000", last(limited));
    }

    @Test
    void byNameAndIdPrefix() throws Exception {
        String name = docker.engine.containers().stream()
                .filter(c -> c.id().equals(gated))
                .findFirst()
                .orElseThrow()
                .name();
        assertEquals(
                "n 3000",
                last(read(query(name).put("tail", 1).put("stderr", false).put("filter", "n 3000"))));
        assertEquals(
                1, texts(read(query(gated.substring(0, 12)).put("tail", 1))).size());
    }
}
