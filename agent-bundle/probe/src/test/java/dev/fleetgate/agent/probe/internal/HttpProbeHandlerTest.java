package dev.fleetgate.agent.probe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.fleetgate.agent.Task;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProbeHandlerTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpProbeHandler handler = new HttpProbeHandler();
    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private JsonNode probe(String json) throws Exception {
        return handler.handle(new Task("t1", "http.probe", mapper.readTree(json)));
    }

    @Test
    void reportsStatusAndLatency() throws Exception {
        JsonNode result = probe("{\"url\":\"" + base + "/ok\"}");
        assertEquals(200, result.get("status").asInt());
        assertTrue(result.get("ok").asBoolean());
        assertTrue(result.get("latencyMs").asLong() >= 0);
        assertFalse(result.has("tlsExpiresAt"));
    }

    @Test
    void okFollowsExpectStatus() throws Exception {
        assertFalse(probe("{\"url\":\"" + base + "/missing\"}").get("ok").asBoolean());
        JsonNode expected = probe("{\"url\":\"" + base + "/missing\",\"method\":\"HEAD\",\"expectStatus\":404}");
        assertEquals(404, expected.get("status").asInt());
        assertTrue(expected.get("ok").asBoolean());
    }

    @Test
    void unreachableIsNotOk() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        JsonNode result = probe("{\"url\":\"http://127.0.0.1:" + port + "/\",\"timeoutMs\":2000}");
        assertFalse(result.get("ok").asBoolean());
        assertTrue(result.get("status").isNull());
        assertTrue(result.has("error"));
    }

    @Test
    void linkLocalAndMetadataAddressesAreNeverProbed() throws Exception {
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/",
                "http://100.100.100.200/", "http://[fd00:ec2::254]/"}) {
            JsonNode result = probe("{\"url\":\"" + url + "\",\"timeoutMs\":1000}");
            assertFalse(result.get("ok").asBoolean(), url);
            assertTrue(result.get("error").asText().startsWith("refused: "), result.toString());
        }
    }

    @Test
    void rejectsInvalidPayloads() {
        assertInvalid("{\"url\":\"file:///etc/passwd\"}", "url");
        assertInvalid("{}", "url");
        assertInvalid("{\"url\":\"http://x\",\"method\":\"POST\"}", "method");
        assertInvalid("{\"url\":\"http://x\",\"timeoutMs\":60001}", "timeoutMs");
        assertInvalid("{\"url\":\"http://x\",\"timeoutMs\":0}", "timeoutMs");
        assertInvalid("{\"url\":\"http://x\",\"expectStatus\":99}", "expectStatus");
    }

    private void assertInvalid(String json, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> probe(json));
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
