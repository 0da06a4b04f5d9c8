package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.fleetgate.agent.AccessLogEntry;

class AccessLogParserTest {

    @Test
    void parsesALineOfTheConfiguredFormat() {
        AccessLogEntry e = AccessLogParser.parse("{\"time\":1763790000.123,\"service\":\"s1\",\"client\":\"127.0.0.1\","
                + "\"method\":\"GET\",\"host\":\"a.test\",\"path\":\"/x/y\",\"status\":200,\"bytes\":512,"
                + "\"requestTime\":0.004,\"upstreamTime\":\"0.001, 0.002\",\"upstream\":\"127.0.0.1:1, 127.0.0.1:2\","
                + "\"userAgent\":\"curl/8 \\\"quoted\\\"\"}");
        assertEquals(1763790000123L, e.timeMillis());
        assertEquals("s1", e.serviceId());
        assertEquals("/x/y", e.path());
        assertEquals(200, e.status());
        assertEquals(512, e.bytesSent());
        assertEquals(0.004, e.requestTimeSeconds(), 1e-9);
        assertEquals(0.003, e.upstreamTimeSeconds(), 1e-9);
        assertEquals("127.0.0.1:1, 127.0.0.1:2", e.upstreamAddress());
        assertEquals("curl/8 \"quoted\"", e.userAgent());
    }

    @Test
    void emptyFieldsAreNull() {
        AccessLogEntry e = AccessLogParser.parse("{\"time\":1.5,\"service\":\"\",\"client\":\"::1\",\"method\":\"GET\","
                + "\"host\":\"x\",\"path\":\"/\",\"status\":404,\"bytes\":0,\"requestTime\":0.000,\"upstreamTime\":\"\","
                + "\"upstream\":\"\",\"userAgent\":\"\"}");
        assertNull(e.serviceId());
        assertNull(e.upstreamTimeSeconds());
        assertNull(e.upstreamAddress());
        assertNull(e.userAgent());
        assertEquals(1500, e.timeMillis());
        assertNull(AccessLogParser.seconds("-"));
    }

    @Test
    void theQueryStringIsReadAndCut() {
        String line = "{\"time\":1.5,\"client\":\"::1\",\"method\":\"GET\",\"path\":\"/s\",\"query\":\"%s\","
                + "\"status\":200}";
        assertEquals(
                "q=shoes&x=%27\"",
                AccessLogParser.parse(line.formatted("q=shoes&x=%27\\\"")).query());
        assertNull(AccessLogParser.parse(line.formatted("")).query());
        String longQuery = "q=" + "a".repeat(5000);
        assertEquals(
                longQuery.substring(0, AccessLogEntry.MAX_QUERY),
                AccessLogParser.parse(line.formatted(longQuery)).query());
        // lines written before the query was logged
        assertNull(AccessLogParser.parse("{\"time\":1.5,\"client\":\"::1\",\"path\":\"/\",\"status\":200}")
                .query());
    }

    @Test
    void otherLinesAreSkipped() {
        assertNull(AccessLogParser.parse("127.0.0.1 - - [22/Nov/2026] \"GET / HTTP/1.1\" 200"));
        assertNull(AccessLogParser.parse("{\"unrelated\":true}"));
    }

    @Test
    void batchesAreDeliveredToEveryListenerInOrder() {
        List<List<AccessLogEntry>> first = new ArrayList<>();
        List<List<AccessLogEntry>> second = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            lines.add("{\"time\":" + i + ",\"status\":200,\"path\":\"/" + i + "\"}");
        }
        lines.add(3, "garbage");
        AccessLogReader.deliver(lines, List.of(first::add, batch -> {
            second.add(batch);
            throw new IllegalStateException("a failing listener does not stop the others");
        }));
        assertEquals(List.of(1000, 1000, 500), first.stream().map(List::size).toList());
        assertEquals(first, second);
        assertEquals("/2499", first.get(2).get(499).path());
    }
}
