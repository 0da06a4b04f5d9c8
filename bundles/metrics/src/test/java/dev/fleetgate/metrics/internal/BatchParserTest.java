package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

class BatchParserTest {
    private final BatchParser parser = new BatchParser(1000, 10_000, 100);

    @Test
    void readsSeriesSetsTheAgentLabelAndSortsLabels() {
        BatchParser.Batch b = parser.parse("a1", Json.parse("[{\"name\":\"host_cpu_usage_percent\","
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
        assertEquals("{\"agent\":\"a1\",\"cpu\":\"0\",\"mode\":\"user\"}", s.key().labelsJson());
    }

    @Test
    void malformedSeriesAreSkippedAndCounted() {
        String[] bad = {"17", "{}", "{\"name\":\"1abc\",\"points\":[]}", "{\"name\":\"a b\",\"points\":[]}",
            "{\"name\":\"ok\",\"labels\":[],\"points\":[]}", "{\"name\":\"ok\",\"labels\":{\"__x\":\"1\"},\"points\":[]}",
            "{\"name\":\"ok\",\"labels\":{\"a-b\":\"1\"},\"points\":[]}", "{\"name\":\"ok\",\"labels\":{\"a\":{}},\"points\":[]}",
            "{\"name\":\"ok\",\"labels\":{\"a\":\"line\\nbreak\"},\"points\":[]}", "{\"name\":\"ok\",\"points\":{}}",
            "{\"name\":\"ok\"}", "{\"name\":42,\"points\":[]}"};
        for (String s : bad) {
            BatchParser.Batch b = parser.parse("a1", Json.parse("[" + s + "]"));
            assertEquals(0, b.series().size(), s);
            assertEquals(1, b.rejectedSeries(), s);
        }
        assertNull(BatchParser.key("a1", Json.parse("{\"name\":\"" + "x".repeat(201) + "\"}")));
        assertEquals(1, parser.parse("a1", Json.parse("{}")).rejectedSeries(), "not an array");
    }

    @Test
    void malformedOrOutOfRangePointsAreSkippedAndCounted() {
        BatchParser.Batch b = parser.parse("a1", Json.parse("[{\"name\":\"ok\",\"points\":[[2000,1],[999,1],[10000,1],"
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
        BatchParser.Batch b = parser.parse("a1", Json.parse(s + "]}]"));
        assertEquals(100, b.points());
        assertEquals(50, b.rejectedPoints());
    }

    @Test
    void seriesWithoutAcceptedPointsAreLeftOut() {
        BatchParser.Batch b = parser.parse("a1", Json.parse("[{\"name\":\"ok\",\"points\":[]},{\"name\":\"ok2\","
                + "\"labels\":{\"n\":5,\"b\":true},\"points\":[[5000,1]]}]"));
        assertEquals(1, b.series().size());
        assertEquals(Map.of("agent", "a1", "n", "5", "b", "true"), b.series().get(0).key().labels());
    }
}
