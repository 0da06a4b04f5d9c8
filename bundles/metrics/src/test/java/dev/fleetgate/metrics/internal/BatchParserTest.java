package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BatchParserTest {
    private final BatchParser parser = new BatchParser(1000, 10_000, 100);

    /**
     * Parses with the tree reader, the streaming reader and the byte reader (when it takes the
     * input); all must agree.
     */
    private BatchParser.Batch both(String agent, String json) {
        BatchParser.Batch tree = parser.parse(agent, Json.parse(json));
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            BatchParser.Batch stream = parser.parse(agent, p);
            assertEquals(describe(tree), describe(stream), json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        BatchParser.Batch fast = fast(agent, json);
        if (fast != null) {
            assertEquals(describe(tree), describe(fast), json);
            BatchParser.Batch again = fast(agent, json, remembered(fast));
            assertEquals(describe(tree), describe(again), "read again by remembered bytes: " + json);
            for (int k = 0; k < fast.series().size(); k++) {
                if (fast.series().get(k).sent() != null) {
                    assertSame(fast.series().get(k).key(), again.series().get(k).key(), json);
                    assertEquals(100 + k, again.series().get(k).id(), json);
                }
            }
        }
        return tree;
    }

    /** What an ingestor remembers of a batch: every series' sent bytes, with id 100 + its index. */
    private static Map<SentSeries.Span, SentSeries.Known> remembered(BatchParser.Batch b) {
        Map<SentSeries.Span, SentSeries.Known> known = new java.util.HashMap<>();
        for (int k = 0; k < b.series().size(); k++) {
            BatchParser.Series s = b.series().get(k);
            if (s.sent() != null) {
                known.putIfAbsent(s.sent(), new SentSeries.Known(s.key(), 100 + k));
            }
        }
        return known;
    }

    /** The byte reader alone, the input framed by other bytes as in a sync body (null: it gave up). */
    private BatchParser.Batch fast(String agent, String json) {
        return fast(agent, json, null);
    }

    private BatchParser.Batch fast(String agent, String json, Map<SentSeries.Span, SentSeries.Known> known) {
        byte[] framed = ("{\"metrics\":" + json + ",\"x\":[1]}").getBytes(StandardCharsets.UTF_8);
        int length = json.getBytes(StandardCharsets.UTF_8).length;
        return FastBatchReader.read(agent, framed, 11, length, 1000, 10_000, 100, known);
    }

    @Test
    void aSeriesSentInTheSameBytesAsBeforeIsFoundByThemAndOnlyThen() {
        String json = "[{\"name\":\"a\",\"labels\":{\"cpu\":\"c1\"},\"points\":[[2000,1]]},"
                + " {\"labels\":{},\"name\":\"b\",\"points\":[[2000,2]]},"
                + " {\"name\":\"c\",\"points\":[[2000,3]]},"
                + " {\"points\":[[2000,4]],\"name\":\"d\",\"labels\":{}}]";
        BatchParser.Batch first = both("a1", json);
        BatchParser.Batch read = fast("a1", json);
        assertNotNull(read.series().get(0).sent(), "name and labels, then points");
        assertNotNull(read.series().get(1).sent(), "in either order");
        assertNull(read.series().get(2).sent(), "no labels field: read in full every time");
        assertNull(read.series().get(3).sent(), "points first: read in full every time");
        Map<SentSeries.Span, SentSeries.Known> known = remembered(read);
        assertEquals(2, known.size());

        // the same series in other bytes (spacing, label order) is read in full, to the same key
        BatchParser.Batch spaced = fast("a1", json.replace("{\"cpu\"", "{ \"cpu\""), known);
        assertEquals(-1, spaced.series().get(0).id());
        assertEquals(first.series().get(0).key(), spaced.series().get(0).key());
        assertEquals(101, spaced.series().get(1).id());

        // a field repeated after the points gives up with remembered bytes as without
        for (String tail : new String[] {",\"labels\":{}", ",\"name\":\"a\"", ",\"extra\":1"}) {
            String bad = "[{\"name\":\"a\",\"labels\":{\"cpu\":\"c1\"},\"points\":[[2000,1]]" + tail + "}]";
            assertNull(fast("a1", bad), bad);
            assertNull(fast("a1", bad, known), bad);
        }
        // points out of range in a remembered series are rejected as before
        assertNull(fast("a1", "[{\"name\":\"a\",\"labels\":{\"cpu\":\"c1\"},\"points\":[[999,1]]}]", known));
    }

    @Test
    void theByteReaderTakesWellFormedBatchesAndReadsNumbersAsJacksonDoes() {
        String common =
                "[ {\"name\":\"a\",\"labels\":{\"cpu\":\"c1\",\"g\":\"x y\"},\"points\":[[2000,1.5],[3000,-2]]},"
                        + "\n{\"points\":[],\"name\":\"b:c\"}, {\"labels\":null,\"name\":\"d\",\"points\":[[4000,0]]} ]";
        assertNotNull(fast("a1", common));
        assertEquals(3, both("a1", common).points());
        Random r = new Random(42);
        String[] shapes = {
            "%s", "-%s", "%s.%s", "-%s.%s", "%s.%se%s", "%1$se-%3$s", "%s.%sE+%s", "0.%s", "-0.%1$se-%3$s"
        };
        for (int n = 0; n < 5000; n++) {
            String shape = shapes[r.nextInt(shapes.length)];
            Object[] parts = {num(r), num(r), r.nextInt(40)};
            String value = String.format(java.util.Locale.ROOT, shape, parts);
            String json = "[{\"name\":\"v\",\"points\":[[" + (1000 + r.nextInt(9000)) + "," + value + "]]}]";
            BatchParser.Batch tree = parser.parse("a1", Json.parse(json));
            BatchParser.Batch fast = fast("a1", json);
            if (tree.points() == 1) {
                assertNotNull(fast, json);
                assertEquals(
                        Double.doubleToRawLongBits(tree.series().get(0).values()[0]),
                        Double.doubleToRawLongBits(fast.series().get(0).values()[0]),
                        json);
            } else {
                assertNull(fast, json); // rejected (not finite): the Jackson reader counts it
            }
        }
        for (String v : new String[] {"-0", "-0.0", "0e5", "9007199254740993", "123456789012345678901234", "1e-400"}) {
            both("a1", "[{\"name\":\"v\",\"points\":[[2000," + v + "]]}]");
        }
    }

    /** Digits of random length (1..25), without a leading zero. */
    private static String num(Random r) {
        StringBuilder s = new StringBuilder().append(1 + r.nextInt(9));
        for (int len = r.nextInt(25); len > 0; len--) {
            s.append(r.nextInt(10));
        }
        return s.toString();
    }

    @Test
    void theByteReaderGivesUpOnWhatItDoesNotTake() {
        String[] others = {
            "null",
            "[{\"name\":\"a\",\"points\":[[2000,1]],\"extra\":1}]",
            "[{\"name\":\"a\",\"labels\":{\"k\":1},\"points\":[[2000,1]]}]",
            "[{\"name\":\"\\u0061\",\"points\":[[2000,1]]}]",
            "[{\"name\":\"a\",\"labels\":{\"k\":\"\u00e9\"},\"points\":[[2000,1]]}]",
            "[{\"name\":\"a\",\"points\":[[2000.0,1]]}]",
            "[{\"name\":\"a\",\"points\":[[999,1]]}]",
            "[{\"name\":\"a\",\"points\":[[02000,1]]}]",
            "[{\"name\":\"a\",\"points\":[[2000,01]]}]",
            "[{\"name\":\"a\",\"points\":[[2000,1.]]}]",
            "[{\"name\":\"a\",\"points\":[[2000,1]]},]",
            "[{\"name\":\"a\",\"name\":\"b\",\"points\":[[2000,1]]}]",
            "[{\"name\":\"1a\",\"points\":[[2000,1]]}]",
            "[{\"name\":\"a\",\"points\":[[2000,1]]}",
            "[{\"name\":\"a\",\"points\":[[2000,1]]}] x"
        };
        for (String json : others) {
            assertNull(fast("a1", json), json);
        }
    }

    private static String describe(BatchParser.Batch b) {
        StringBuilder s = new StringBuilder(
                b.points() + "/" + b.rejectedSeries() + "/" + b.rejectedPoints() + "/" + b.minTs() + "/" + b.maxTs());
        for (BatchParser.Series x : b.series()) {
            s.append(' ')
                    .append(x.key().name())
                    .append(x.key().labelsJson())
                    .append(java.util.Arrays.toString(x.ts()))
                    .append(java.util.Arrays.toString(x.values()));
        }
        return s.toString();
    }

    @Test
    void bothReadersAgreeOnOddShapes() {
        both("a1", "null");
        both("a1", "[]");
        both("a1", "[null, [], \"x\", {\"name\":\"a\",\"points\":[[2000,1]],\"extra\":{\"deep\":[1,[2]]}}]");
        both("a1", "[{\"points\":[[2000,1]],\"labels\":{\"k\":1.50,\"b\":false},\"name\":\"late_name\"}]");
        both("a1", "[{\"name\":\"a\",\"labels\":null,\"points\":[[2000,1],[3000.0,2],[1e3,3],[2000,[1]],[[1],1]]}]");
        both(
                "a1",
                "[{\"name\":\"a\",\"points\":[[99999999999999999999999,1]]},{\"name\":\"dup\",\"name\":\"b\",\"points\":[[5000,1]]}]");
    }

    @Test
    void readsSeriesSetsTheAgentLabelAndSortsLabels() {
        BatchParser.Batch b = both(
                "a1",
                ("[{\"name\":\"host_cpu_usage_percent\","
                        + "\"labels\":{\"mode\":\"user\",\"cpu\":\"0\",\"agent\":\"spoofed\"},\"points\":[[2000,1.5],[3000,2]]}]"));
        assertEquals(1, b.series().size());
        BatchParser.Series s = b.series().get(0);
        assertEquals("host_cpu_usage_percent", s.key().name());
        assertEquals(Map.of("agent", "a1", "cpu", "0", "mode", "user"), s.key().labels());
        assertEquals("[agent, cpu, mode]", s.key().labels().keySet().toString());
        assertArrayEquals(new long[] {2000, 3000}, s.ts());
        assertArrayEquals(new double[] {1.5, 2}, s.values());
        assertEquals(2, b.points());
        assertEquals(2000, b.minTs());
        assertEquals(3000, b.maxTs());
        assertEquals(
                "{\"agent\":\"a1\",\"cpu\":\"0\",\"mode\":\"user\"}", s.key().labelsJson());
    }

    @Test
    void malformedSeriesAreSkippedAndCounted() {
        String[] bad = {
            "17",
            "{}",
            "{\"name\":\"1abc\",\"points\":[]}",
            "{\"name\":\"a b\",\"points\":[]}",
            "{\"name\":\"ok\",\"labels\":[],\"points\":[]}",
            "{\"name\":\"ok\",\"labels\":{\"__x\":\"1\"},\"points\":[]}",
            "{\"name\":\"ok\",\"labels\":{\"a-b\":\"1\"},\"points\":[]}",
            "{\"name\":\"ok\",\"labels\":{\"a\":{}},\"points\":[]}",
            "{\"name\":\"ok\",\"labels\":{\"a\":\"line\\nbreak\"},\"points\":[]}",
            "{\"name\":\"ok\",\"points\":{}}",
            "{\"name\":\"ok\"}",
            "{\"name\":42,\"points\":[]}"
        };
        for (String s : bad) {
            BatchParser.Batch b = both("a1", ("[" + s + "]"));
            assertEquals(0, b.series().size(), s);
            assertEquals(1, b.rejectedSeries(), s);
        }
        assertNull(BatchParser.key("a1", Json.parse("{\"name\":\"" + "x".repeat(201) + "\"}")));
        assertEquals(1, both("a1", ("{}")).rejectedSeries(), "not an array");
    }

    @Test
    void malformedOrOutOfRangePointsAreSkippedAndCounted() {
        BatchParser.Batch b = both(
                "a1",
                ("[{\"name\":\"ok\",\"points\":[[2000,1],[999,1],[10000,1],"
                        + "[2000.5,1],[\"2000\",1],[2000,\"1\"],[2000],[2000,1,2],7,[2001,1e400],[3000,-4]]}]"));
        assertEquals(2, b.points());
        assertEquals(9, b.rejectedPoints());
        assertArrayEquals(new long[] {2000, 3000}, b.series().get(0).ts());
    }

    @Test
    void pointsOverTheBatchLimitAreRejected() {
        StringBuilder s = new StringBuilder("[{\"name\":\"ok\",\"points\":[");
        for (int i = 0; i < 150; i++) {
            s.append(i == 0 ? "" : ",").append("[").append(2000 + i).append(",1]");
        }
        BatchParser.Batch b = both("a1", (s + "]}]"));
        assertEquals(100, b.points());
        assertEquals(50, b.rejectedPoints());
    }

    @Test
    void seriesWithoutAcceptedPointsAreLeftOut() {
        BatchParser.Batch b = both(
                "a1",
                ("[{\"name\":\"ok\",\"points\":[]},{\"name\":\"ok2\","
                        + "\"labels\":{\"n\":5,\"b\":true},\"points\":[[5000,1]]}]"));
        assertEquals(1, b.series().size());
        assertEquals(
                Map.of("agent", "a1", "n", "5", "b", "true"),
                b.series().get(0).key().labels());
    }
}
