package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SentSeriesTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aSpanIsItsBytesWhereverTheyLie() {
        byte[] a = bytes("xx\"name\":\"m\",\"labels\":{},yy");
        byte[] b = bytes("\"name\":\"m\",\"labels\":{},");
        SentSeries.Span inA = SentSeries.Span.probe(a, 2, a.length - 2);
        SentSeries.Span inB = SentSeries.Span.probe(b, 0, b.length);
        assertEquals(inA, inB);
        assertEquals(inA.hashCode(), inB.hashCode());
        assertEquals(0, inA.compareTo(inB));
        SentSeries.Span stored = inA.copy();
        a[5] = 'X'; // the request buffer is reused: the stored copy must not change with it
        assertEquals(inB, stored);
        assertNotEquals(inA, stored);
        SentSeries.Span other = SentSeries.Span.probe(bytes("\"name\":\"n\",\"labels\":{},"), 0, b.length);
        assertNotEquals(inB, other);
        assertTrue(inB.compareTo(other) < 0 && other.compareTo(inB) > 0);
    }

    @Test
    void eachAgentHasItsOwnSeries() {
        SentSeries sent = new SentSeries();
        byte[] b = bytes("\"name\":\"m\",\"labels\":{},");
        SentSeries.Span span = SentSeries.Span.probe(b, 0, b.length).copy();
        SeriesKey key = SeriesKey.of("m", Map.of(Names.AGENT, "a1"));
        sent.remember("a1", span, new SentSeries.Known(key, 7));
        assertSame(key, sent.of("a1").get(SentSeries.Span.probe(b, 0, b.length)).key());
        assertNull(sent.of("a2"));
        sent.remember("a1", span, new SentSeries.Known(key, 7));
        assertEquals(1, sent.size(), "the same bytes again replace, not add");
    }
}
