package dev.fleetgate.agent.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class SamplesTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void groupsPointsBySeriesAndChunksInTheWireFormat() {
        Samples samples = new Samples(100);
        samples.add("host_cpu_usage_percent", Map.of("cpu", "total"), 1000, 12.5);
        samples.add("host_cpu_usage_percent", Map.of("cpu", "total"), 2000, 13.5);
        samples.add("host_cpu_usage_percent", Map.of("cpu", "0"), 1000, 1);
        samples.add("host_load1", Map.of(), 1000, 0.5);
        samples.add("host_load1", Map.of(), 2000, Double.NaN);
        List<Samples.Chunk> chunks = samples.drain(mapper, 2);
        assertEquals(2, chunks.size());
        assertEquals(3, chunks.get(0).points());
        assertEquals(
                "[{\"name\":\"host_cpu_usage_percent\",\"labels\":{\"cpu\":\"total\"},\"points\":[[1000,12.5],[2000,13.5]]},"
                        + "{\"name\":\"host_cpu_usage_percent\",\"labels\":{\"cpu\":\"0\"},\"points\":[[1000,1.0]]}]",
                chunks.get(0).series().toString());
        assertEquals(
                "[{\"name\":\"host_load1\",\"labels\":{},\"points\":[[1000,0.5]]}]",
                chunks.get(1).series().toString(),
                "NaN is skipped");
        assertEquals(List.of(), samples.drain(mapper, 2), "drained");
    }

    @Test
    void boundsTheNumberOfSeries() {
        Samples samples = new Samples(2);
        samples.add("a", Map.of(), 1, 1);
        samples.add("b", Map.of(), 1, 1);
        samples.add("c", Map.of(), 1, 1);
        samples.add("a", Map.of(), 2, 2);
        assertEquals(2, samples.seriesCount());
        assertEquals(1, samples.dropped());
    }

    @Test
    void theSinkValidatesPluginSamples() {
        Samples samples = new Samples(100);
        SourceSink sink = new SourceSink(samples, 5000);
        sink.gauge("sample_open_files", 42, "kind", "regular");
        sink.counter("sample_events_total", 7);
        sink.sample("sample_temp_celsius", Map.of("zone", "0"), 41.5);
        assertThrows(IllegalArgumentException.class, () -> sink.gauge("bad name", 1));
        assertThrows(IllegalArgumentException.class, () -> sink.gauge("ok", 1, "odd"));
        assertThrows(
                IllegalArgumentException.class, () -> sink.gauge("ok", 1, "agent", "x"), "agent is the core's label");
        assertThrows(IllegalArgumentException.class, () -> sink.gauge("ok", 1, "__x", "y"));
        assertThrows(IllegalArgumentException.class, () -> sink.gauge("ok", Double.POSITIVE_INFINITY));
        assertEquals(
                "[{\"name\":\"sample_open_files\",\"labels\":{\"kind\":\"regular\"},\"points\":[[5000,42.0]]},"
                        + "{\"name\":\"sample_events_total\",\"labels\":{},\"points\":[[5000,7.0]]},"
                        + "{\"name\":\"sample_temp_celsius\",\"labels\":{\"zone\":\"0\"},\"points\":[[5000,41.5]]}]",
                samples.drain(mapper, 100).get(0).series().toString());
    }
}
