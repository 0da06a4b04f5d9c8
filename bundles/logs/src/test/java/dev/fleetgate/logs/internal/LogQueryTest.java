package dev.fleetgate.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;

class LogQueryTest {

    private static LogQuery parse(String tail, String cursor, String filter, String stream, String limit) {
        Fields e = new Fields();
        LogQuery q = LogQuery.parse(tail, cursor, filter, stream, limit, e);
        e.check();
        return q;
    }

    private static List<String> fields(Runnable r) {
        return assertThrows(ApiException.class, r::run).errors().stream()
                .map(FieldError::field)
                .toList();
    }

    @Test
    void defaults() {
        assertEquals(new LogQuery(100, null, null, "all", 500), parse(null, null, null, null, null));
        assertEquals(new LogQuery(100, null, null, "all", 500), parse("", "", "", "", ""), "empty = absent");
        assertEquals(new LogQuery(5000, "c:1", "GET /", "stderr", 1), parse("5000", "c:1", "GET /", "STDERR", "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "5001", "-1", "1.5", "ten", "99999999999"})
    void badCounts(String n) {
        assertEquals(List.of("tail", "limit"), fields(() -> parse(n, null, null, null, n)));
    }

    @Test
    void textsAreBoundedAndPlain() {
        parse(null, "x".repeat(512), "y".repeat(200), null, null);
        assertEquals(
                List.of("cursor", "filter"), fields(() -> parse(null, "x".repeat(513), "y".repeat(201), null, null)));
        assertEquals(List.of("cursor", "filter"), fields(() -> parse(null, "a\nb", "a\u0000", null, null)));
        assertEquals(List.of("stream"), fields(() -> parse(null, null, null, "both", null)));
        assertEquals(
                "'; rm -rf / {}$",
                parse(null, null, "'; rm -rf / {}$", null, null).filter(),
                "filters go to the agent as JSON, never to a shell");
    }

    @Test
    void pathParameters() {
        Fields e = new Fields();
        assertEquals(
                "0b7c5a1e-2f0a-4d43-9a57-6f1f0f0c0a01", LogQuery.agentId("0B7C5A1E-2F0A-4D43-9A57-6F1F0F0C0A01", e));
        assertEquals("fg-shop-0-a1b2c3", LogQuery.container("fg-shop-0-a1b2c3", e));
        assertEquals("3f2a", LogQuery.container("3f2a", e));
        assertEquals("access", LogQuery.nginxLog("access", e));
        e.check();
        Fields bad = new Fields();
        LogQuery.agentId("../x", bad);
        LogQuery.container("-rm", bad);
        LogQuery.container("a/b", bad);
        LogQuery.container("x".repeat(129), bad);
        LogQuery.nginxLog("../../etc/passwd", bad);
        assertEquals(List.of("agentId", "containerId", "containerId", "containerId", "log"), fields(bad::check));
    }

    @Test
    void payloadsFollowTheContract() {
        LogQuery q = parse("50", "c1", "err", "stdout", "20");
        assertEquals(
                Json.MAPPER
                        .createObjectNode()
                        .put("tail", 50)
                        .put("cursor", "c1")
                        .put("filter", "err")
                        .put("limit", 20)
                        .put("maxBytes", 1024)
                        .put("container", "web")
                        .put("stdout", true)
                        .put("stderr", false),
                q.containerPayload("web", 1024));
        assertEquals(
                "{\"tail\":100,\"cursor\":null,\"filter\":null,\"limit\":500,\"maxBytes\":262144,\"log\":\"error\"}",
                parse(null, null, null, null, null)
                        .nginxPayload("error", 262144)
                        .toString());
        LogQuery all = parse(null, null, null, null, null);
        assertEquals(true, all.containerPayload("w", 1).get("stderr").asBoolean());
        assertEquals("c2", all.after("c2").cursor());
    }
}
