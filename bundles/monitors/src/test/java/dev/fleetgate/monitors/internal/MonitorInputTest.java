package dev.fleetgate.monitors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

class MonitorInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MonitorInput parse(String json) throws Exception {
        return MonitorInput.parse(JSON.readTree(json));
    }

    private static List<String> fields(String json) {
        ApiException e = assertThrows(ApiException.class, () -> parse(json));
        assertEquals(400, e.status());
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void defaults() throws Exception {
        MonitorInput in = parse("{\"name\":\" shop \",\"type\":\"http\",\"target\":\"https://shop.example.test/\","
                + "\"agentIds\":[\"a1\",\"a1\",\"a2\"]}");
        assertEquals("shop", in.name());
        assertEquals(60, in.intervalSeconds());
        assertEquals(2, in.confirmations());
        assertTrue(in.followRedirects());
        assertEquals(List.of("a1", "a2"), in.agentIds());
        assertEquals(0, in.expect().get("statuses").size());
    }

    @Test
    void fullDefinition() throws Exception {
        MonitorInput in = parse("{\"name\":\"tls\",\"type\":\"TLS\",\"target\":\"shop.example.test:8443\","
                + "\"intervalSeconds\":10,\"agentIds\":[\"a\"],\"expect\":{\"statuses\":[200,204],"
                + "\"maxLatencyMs\":500,\"bodyContains\":\"ok\",\"minDaysLeft\":7},\"followRedirects\":false,"
                + "\"confirmations\":3}");
        assertEquals("tls", in.type());
        assertEquals(7, in.expect().get("minDaysLeft").asInt());
        assertEquals(500, in.expect().get("maxLatencyMs").asInt());
        assertEquals("ok", in.expect().get("bodyContains").asText());
        assertEquals(3, in.confirmations());
    }

    @Test
    void everyBadFieldIsNamed() {
        assertEquals(List.of("name", "type", "target", "agentIds"), fields("{}"));
        assertEquals(List.of("intervalSeconds"), fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\","
                + "\"agentIds\":[\"a\"],\"intervalSeconds\":9}"));
        assertEquals(List.of("intervalSeconds"), fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\","
                + "\"agentIds\":[\"a\"],\"intervalSeconds\":86401}"));
        assertEquals(List.of("target"), fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"file:///etc/passwd\","
                + "\"agentIds\":[\"a\"]}"));
        assertEquals(List.of("target"), fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://u:p@x/\","
                + "\"agentIds\":[\"a\"]}"));
        assertEquals(List.of("target"), fields("{\"name\":\"n\",\"type\":\"tls\",\"target\":\"x:99999\","
                + "\"agentIds\":[\"a\"]}"));
        assertEquals(List.of("target"), fields("{\"name\":\"n\",\"type\":\"tls\",\"target\":\"https://x/\","
                + "\"agentIds\":[\"a\"]}"));
        assertEquals(List.of("type"), fields("{\"name\":\"n\",\"type\":\"dns\",\"target\":\"x\",\"agentIds\":[\"a\"]}"));
        assertEquals(List.of("agentIds"), fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\","
                + "\"agentIds\":[]}"));
        assertEquals(List.of("agentIds[1]"), fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\","
                + "\"agentIds\":[\"a\",7]}"));
        assertEquals(List.of("expect.statuses[0]", "expect.maxLatencyMs", "expect.bodyContains"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\",\"agentIds\":[\"a\"],"
                        + "\"expect\":{\"statuses\":[99],\"maxLatencyMs\":0,\"bodyContains\":\"\"}}"));
        assertEquals(List.of("followRedirects", "confirmations", "timeoutMs"),
                fields("{\"name\":\"n\",\"type\":\"http\",\"target\":\"http://x\",\"agentIds\":[\"a\"],"
                        + "\"followRedirects\":\"yes\",\"confirmations\":0,\"timeoutMs\":1e9}"));
        assertEquals(List.of("name"), fields("{\"name\":\"a\\u0000b\",\"type\":\"http\",\"target\":\"http://x\","
                + "\"agentIds\":[\"a\"]}"));
        assertEquals(List.of("name"), fields("{\"name\":\"" + "n".repeat(101) + "\",\"type\":\"http\","
                + "\"target\":\"http://x\",\"agentIds\":[\"a\"]}"));
        assertEquals(List.of("body"), fields("[1]"));
        // PostgreSQL refuses U+0000 in jsonb: it must be a 400, never a 500
        assertEquals(List.of("expect.bodyContains"), fields("{\"name\":\"n\",\"type\":\"http\",\"target\":"
                + "\"http://x\",\"agentIds\":[\"a\"],\"expect\":{\"bodyContains\":\"a\\u0000\"}}"));
        assertEquals(List.of("target"), fields("{\"name\":\"n\",\"type\":\"http\",\"target\":"
                + "\"http://x/\\u0000\",\"agentIds\":[\"a\"]}"));
    }
}
