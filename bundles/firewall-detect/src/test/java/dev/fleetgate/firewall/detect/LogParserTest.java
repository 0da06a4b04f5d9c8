package dev.fleetgate.firewall.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LogParserTest {
    private final LogParser parser = new LogParser();

    @Test
    void readsFleetgateJson() {
        String line = "{\"time\":1764000000.123,\"service\":\"svc-1\",\"client\":\"127.0.0.5\",\"method\":\"POST\","
                + "\"host\":\"a.test\",\"path\":\"/lo\\\"gin\\u0041\",\"status\":401,\"bytes\":12,\"requestTime\":0.001,"
                + "\"upstreamTime\":\"-\",\"upstream\":\"\",\"userAgent\":\"curl/8 \\\\x\"}";
        Request r = parser.parse(line);
        assertEquals(1_764_000_000_123L, r.timeMillis());
        assertEquals("svc-1", r.serviceId());
        assertEquals("127.0.0.5", r.client());
        assertEquals("POST", r.method());
        assertEquals("/lo\"ginA", r.path());
        assertEquals(401, r.status());
        assertEquals("curl/8 \\x", r.userAgent());
        assertEquals(line, r.line());
    }

    @Test
    void jsonQueryJoinsThePathAsInCombined() {
        String line = "{\"time\":1764000000,\"service\":\"svc-1\",\"client\":\"127.0.0.5\",\"method\":\"GET\","
                + "\"path\":\"/a/b\",\"query\":\"c=1&d=%27x\\\"\",\"status\":200}";
        assertEquals("/a/b?c=1&d=%27x\"", parser.parse(line).path());
        String combined =
                "203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] \"GET /a/b?c=1&d=%27x HTTP/1.1\" 200 1 \"-\" \"-\"";
        assertEquals("/a/b?c=1&d=%27x", parser.parse(combined).path());
        assertEquals(
                parser.parse(combined).path(),
                parser.parse(line.replace("%27x\\\"", "%27x")).path());
        // no query, or an empty one (nginx logs "" for $args then): the path alone
        assertEquals(
                "/a/b",
                parser.parse(line.replace("\"query\":\"c=1&d=%27x\\\"\",", "")).path());
        assertEquals("/a/b", parser.parse(line.replace("c=1&d=%27x\\\"", "")).path());
    }

    @Test
    void longQueriesAreCutInBothFormats() {
        String q = "q=" + "x".repeat(5000);
        Request json = parser.parse("{\"time\":1764000000,\"client\":\"10.0.0.1\",\"method\":\"GET\","
                + "\"path\":\"/s\",\"query\":\"" + q + "\",\"status\":200}");
        assertEquals("/s?" + q.substring(0, Request.MAX_QUERY), json.path());
        Request combined = parser.parse(
                "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /s?" + q + " HTTP/1.1\" 200 1 \"-\" \"-\"");
        assertEquals(json.path(), combined.path());
    }

    @Test
    void emptyServiceAndAgentAreNull() {
        Request r = parser.parse("{\"time\":1764000000,\"service\":\"\",\"client\":\"10.0.0.1\",\"method\":\"GET\","
                + "\"path\":\"/\",\"status\":200,\"userAgent\":\"-\"}");
        assertNull(r.serviceId());
        assertNull(r.userAgent());
        assertEquals(1_764_000_000_000L, r.timeMillis());
    }

    @Test
    void readsCombined() {
        String line = "203.0.113.9 - bob [10/Oct/2000:13:55:36 -0700] \"GET /a/b?c=1 HTTP/1.1\" 404 2326 "
                + "\"http://x.test/\" \"Mozilla/5.0 (X11)\"";
        Request r = parser.parse(line);
        assertEquals("203.0.113.9", r.client());
        assertEquals(971_211_336_000L, r.timeMillis());
        assertEquals("GET", r.method());
        assertEquals("/a/b?c=1", r.path());
        assertEquals(404, r.status());
        assertEquals("Mozilla/5.0 (X11)", r.userAgent());
        assertNull(r.serviceId());
    }

    @Test
    void readsCombinedWithBrokenRequest() {
        Request r =
                parser.parse("198.51.100.7 - - [10/Oct/2000:13:55:36 +0000] \"\\x16\\x03\\x01\" 400 157 \"-\" \"-\"");
        assertEquals(400, r.status());
        assertEquals("", r.path());
        assertNull(r.userAgent());
    }

    @Test
    void skipsJunk() {
        assertNull(parser.parse(""));
        assertNull(parser.parse("{"));
        assertNull(parser.parse("{\"time\":\"x\",\"status\":200,\"client\":\"a\"}"));
        assertNull(parser.parse("{\"client\":\"a\"}"));
        assertNull(parser.parse("hello world"));
        assertNull(parser.parse("1.2.3.4 - - [bad] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\""));
        assertNull(parser.parse("1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" abc 1 \"-\" \"-\""));
    }
}
