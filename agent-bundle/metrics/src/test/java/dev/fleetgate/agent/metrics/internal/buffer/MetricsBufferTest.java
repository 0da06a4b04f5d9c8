package dev.fleetgate.agent.metrics.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.fleetgate.agent.MetricsOutbox.Batch;

class MetricsBufferTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    /** A batch of {@code series} series with one point each, marked with {@code mark}. */
    private ArrayNode batch(int mark, int series) {
        ArrayNode array = mapper.createArrayNode();
        for (int i = 0; i < series; i++) {
            var s = array.addObject();
            s.put("name", "m_" + i);
            s.putObject("labels").put("mark", String.valueOf(mark)).put("pad", "x".repeat(40) + i);
            s.putArray("points").addArray().add(1_000L * mark).add((double) mark);
        }
        return array;
    }

    private static int mark(Batch batch) {
        return batch.series().get(0).at("/points/0/1").asInt();
    }

    /** Polls and acknowledges everything, returning the marks in the order received. */
    private static List<Integer> drain(MetricsBuffer buffer) {
        List<Integer> marks = new ArrayList<>();
        Batch batch;
        while ((batch = buffer.poll()) != null) {
            marks.add(mark(batch));
            buffer.acknowledge(batch);
        }
        return marks;
    }

    private long filesOnDisk() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json.gz")).count();
        }
    }

    @Test
    void keepsOrderAcrossMemoryAndDisk() throws Exception {
        MetricsBuffer buffer = new MetricsBuffer(dir, 64 << 20, 2, 1 << 20, mapper);
        for (int i = 1; i <= 6; i++) {
            buffer.add(batch(i, 3), 3);
        }
        MetricsBuffer.Stats stats = buffer.stats();
        assertEquals(6, stats.batches());
        assertEquals(2, stats.inMemory(), "only the newest two stay in memory");
        assertEquals(4, stats.onDisk());
        assertEquals(4, filesOnDisk());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), drain(buffer));
        assertEquals(0, filesOnDisk(), "acknowledged batches are deleted");
        assertFalse(buffer.hasPending());
    }

    @Test
    void aGivenBackBatchComesFirstAgainAndInFlightOnesAreSkipped() throws Exception {
        MetricsBuffer buffer = new MetricsBuffer(dir, 64 << 20, 3, 1 << 20, mapper);
        buffer.add(batch(1, 1), 1);
        buffer.add(batch(2, 1), 1);
        Batch first = buffer.poll();
        Batch second = buffer.poll();
        assertEquals(1, mark(first));
        assertEquals(2, mark(second), "the one in flight is not handed out twice");
        assertNull(buffer.poll());
        assertFalse(buffer.hasPending());
        buffer.giveBack(first);
        assertTrue(buffer.hasPending());
        buffer.acknowledge(second);
        buffer.add(batch(3, 1), 1);
        assertEquals(List.of(1, 3), drain(buffer));
    }

    @Test
    void dropsTheOldestBeyondTheBoundAndCountsThem() throws Exception {
        // each batch of 50 series compresses to a few hundred bytes: a 3 KB bound keeps a few
        MetricsBuffer buffer = new MetricsBuffer(dir, 3_000, 1, 1 << 20, mapper);
        int added = 40;
        for (int i = 1; i <= added; i++) {
            buffer.add(batch(i, 50), 50);
        }
        MetricsBuffer.Stats stats = buffer.stats();
        assertTrue(stats.diskBytes() <= 3_000, "disk bound kept: " + stats.diskBytes());
        assertTrue(stats.droppedBatches() > 0);
        assertEquals(stats.droppedBatches() * 50, stats.droppedPoints());
        List<Integer> marks = drain(buffer);
        assertEquals(added - stats.droppedBatches(), marks.size(), "kept + dropped = added");
        assertEquals(added, marks.get(marks.size() - 1), "the newest are kept");
        for (int i = 1; i < marks.size(); i++) {
            assertEquals(marks.get(i - 1) + 1, marks.get(i), "kept batches are contiguous and in order: " + marks);
        }
    }

    @Test
    void replaysAfterARestartAndKeepsTheDropCount() throws Exception {
        MetricsBuffer buffer = new MetricsBuffer(dir, 2_500, 1, 1 << 20, mapper);
        for (int i = 1; i <= 30; i++) {
            buffer.add(batch(i, 50), 50);
        }
        Batch inFlight = buffer.poll();
        buffer.close(); // spills memory, including the batch in flight (still within the bound)
        long dropped = buffer.stats().droppedPoints();
        assertTrue(dropped > 0);
        int kept = buffer.stats().batches();
        assertEquals(kept, buffer.stats().onDisk());

        MetricsBuffer reopened = new MetricsBuffer(dir, 2_500, 1, 1 << 20, mapper);
        assertEquals(kept, reopened.stats().batches(), "every batch survived, the one in flight too");
        assertEquals(dropped, reopened.stats().droppedPoints(), "drop count persisted");
        List<Integer> marks = drain(reopened);
        assertEquals(mark(inFlight), marks.get(0));
        assertEquals(30, marks.get(marks.size() - 1));
        MetricsBuffer again = new MetricsBuffer(dir, 2_500, 1, 1 << 20, mapper);
        assertEquals(0, again.stats().batches(), "acknowledged batches are not replayed");
        buffer.acknowledge(inFlight); // a late ack on the closed buffer is harmless
    }

    @Test
    void ignoresPartialWritesLeftByACrash() throws Exception {
        Files.writeString(dir.resolve("0000000000000000001-3.json.gz.tmp"), "partial");
        Files.writeString(dir.resolve("notes.txt"), "not a batch");
        MetricsBuffer buffer = new MetricsBuffer(dir, 1 << 20, 2, 1 << 20, mapper);
        assertEquals(0, buffer.stats().batches());
        assertFalse(Files.exists(dir.resolve("0000000000000000001-3.json.gz.tmp")));
        buffer.add(batch(9, 2), 2);
        JsonNode series = buffer.poll().series();
        assertEquals(2, series.size());
    }
}
