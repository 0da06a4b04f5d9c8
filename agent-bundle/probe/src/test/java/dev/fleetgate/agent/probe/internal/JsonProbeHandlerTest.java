package dev.fleetgate.agent.probe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.agent.Task;

/** json.probe against a real local JSON endpoint. */
class JsonProbeHandlerTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicReference<String> answer = new AtomicReference<>();
    private HttpServer server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/status", exchange -> {
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body.length == 0 ? 503 : 200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/status";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private JsonNode probe() throws Exception {
        return new JsonProbeHandler().handle(new Task("t", "json.probe", mapper.readTree("{\"url\":\"" + url + "\"}")));
    }

    @Test
    void parsesNumbersPercentsAndDurations() throws Exception {
        answer.set(
                "{\"cpu\": 60, \"mem\": \"30%\", \"disk\": \"43%\", \"uptime\": \"1d 2h 37m 6s\", \"host\": \"web-1\","
                        + " \"load\": {\"1m\": \"0.5\"}, \"healthy\": true}");
        JsonNode r = probe();
        assertTrue(r.get("ok").asBoolean(), r.toString());
        JsonNode f = r.get("fields");
        assertEquals(60, f.get("cpu").asDouble());
        assertEquals(30, f.get("mem").asDouble());
        assertEquals(43, f.get("disk").asDouble());
        assertEquals(86_400 + 2 * 3_600 + 37 * 60 + 6, f.get("uptime").asDouble());
        assertEquals(0.5, f.get("load_1m").asDouble());
        assertEquals(1, f.get("healthy").asDouble());
        assertEquals("percent", r.get("units").get("mem").asText());
        assertEquals("seconds", r.get("units").get("uptime").asText());
        assertEquals("host", r.get("skipped").get(0).asText());
        assertTrue(r.get("timing").has("connectMs"), r.toString());
    }

    @Test
    void anErrorStatusOrAnotherDocumentFails() throws Exception {
        answer.set("");
        JsonNode down = probe();
        assertFalse(down.get("ok").asBoolean());
        assertEquals("status", down.get("errorKind").asText());
        assertEquals(503, down.get("status").asInt());
        answer.set("<html>hello</html>");
        assertEquals("content", probe().get("errorKind").asText());
        answer.set("[1, 2]");
        assertEquals("content", probe().get("errorKind").asText());
        answer.set("{\"name\": \"x\"}");
        assertEquals("content", probe().get("errorKind").asText());
    }

    @Test
    void valueParsing() {
        assertEquals(90, JsonProbeHandler.parse(new TextNode("90s")).value());
        assertEquals(0.25, JsonProbeHandler.parse(new TextNode("250ms")).value());
        assertEquals(99.5, JsonProbeHandler.parse(new TextNode(" 99.5 % ")).value());
        assertEquals(-3, JsonProbeHandler.parse(new TextNode("-3")).value());
        assertNull(JsonProbeHandler.parse(new TextNode("30 percent")));
        assertNull(JsonProbeHandler.parse(new TextNode("1d and 2h")));
        assertEquals("mem_used", JsonProbeHandler.name("Mem-Used!"));
    }
}
