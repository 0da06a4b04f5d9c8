package dev.fleetgate.agent.probe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.agent.Task;

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
        server.createContext("/fail", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.createContext("/page", exchange -> {
            byte[] body = "<html>all systems operational</html>".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // /hop/N redirects to /hop/N-1 (relative), /hop/0 to /ok
        server.createContext("/hop/", exchange -> {
            int n = Integer.parseInt(exchange.getRequestURI().getPath().substring("/hop/".length()));
            exchange.getResponseHeaders().add("Location", n == 0 ? "/ok" : "/hop/" + (n - 1));
            exchange.sendResponseHeaders(n % 2 == 0 ? 302 : 301, -1);
            exchange.close();
        });
        server.createContext("/loop-a", exchange -> {
            exchange.getResponseHeaders().add("Location", base + "/loop-b");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/loop-b", exchange -> {
            exchange.getResponseHeaders().add("Location", "/loop-a");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/to-metadata", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
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
        for (String url : new String[] {
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/",
            "http://100.100.100.200/",
            "http://[fd00:ec2::254]/"
        }) {
            JsonNode result = probe("{\"url\":\"" + url + "\",\"timeoutMs\":1000}");
            assertFalse(result.get("ok").asBoolean(), url);
            assertTrue(result.get("error").asText().startsWith("refused: "), result.toString());
        }
    }

    @Test
    void serverErrorIsAStatusFailure() throws Exception {
        JsonNode result = probe("{\"url\":\"" + base + "/fail\"}");
        assertFalse(result.get("ok").asBoolean());
        assertEquals(500, result.get("status").asInt());
        assertEquals("status", result.get("errorKind").asText());
        assertTrue(probe("{\"url\":\"" + base + "/fail\",\"expectStatuses\":[500,503]}")
                .get("ok")
                .asBoolean());
    }

    @Test
    void bodyMustContainTheText() throws Exception {
        JsonNode ok = probe("{\"url\":\"" + base + "/page\",\"bodyContains\":\"operational\"}");
        assertTrue(ok.get("ok").asBoolean(), ok.toString());
        JsonNode timing = ok.get("timing");
        for (String phase : new String[] {"dnsMs", "connectMs", "firstByteMs", "redirectMs", "totalMs"}) {
            assertTrue(timing.path(phase).asLong(-1) >= 0, phase + " in " + timing);
        }
        assertFalse(timing.has("tlsMs"), "plain http has no TLS phase");
        assertTrue(timing.get("totalMs").asLong() >= timing.get("firstByteMs").asLong());
        JsonNode bad = probe("{\"url\":\"" + base + "/page\",\"bodyContains\":\"outage\"}");
        assertFalse(bad.get("ok").asBoolean());
        assertEquals("content", bad.get("errorKind").asText());
        assertEquals(200, bad.get("status").asInt());
    }

    @Test
    void sendsTheConfiguredHeadersAndReadsAChunkedBody() throws Exception {
        server.createContext("/echo", exchange -> {
            byte[] body = ("token=" + exchange.getRequestHeaders().getFirst("X-Probe-Token")).getBytes();
            exchange.sendResponseHeaders(200, 0); // chunked
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        JsonNode r = probe("{\"url\":\"" + base + "/echo\",\"headers\":{\"X-Probe-Token\":\"s3\"},"
                + "\"bodyContains\":\"token=s3\"}");
        assertTrue(r.get("ok").asBoolean(), r.toString());
        assertInvalid("{\"url\":\"http://x\",\"headers\":{\"Host\":\"y\"}}", "headers");
        assertInvalid("{\"url\":\"http://x\",\"headers\":{\"X-A\":\"a\\r\\nX-B: b\"}}", "headers");
    }

    @Test
    void followsARedirectChainAndRecordsIt() throws Exception {
        JsonNode result = probe("{\"url\":\"" + base + "/hop/3\",\"followRedirects\":true}");
        assertTrue(result.get("ok").asBoolean(), result.toString());
        assertEquals(200, result.get("status").asInt());
        assertEquals(base + "/ok", result.get("finalUrl").asText());
        JsonNode chain = result.get("redirects");
        assertEquals(4, chain.size());
        assertEquals(base + "/hop/3", chain.get(0).get("url").asText());
        assertEquals(301, chain.get(0).get("status").asInt());
        assertEquals(base + "/hop/2", chain.get(0).get("location").asText());
        assertEquals(base + "/ok", chain.get(3).get("location").asText());
        // not following: the 3xx itself is the answer (ok by default)
        JsonNode unfollowed = probe("{\"url\":\"" + base + "/hop/3\"}");
        assertEquals(301, unfollowed.get("status").asInt());
        assertEquals(0, unfollowed.get("redirects").size());
    }

    @Test
    void aRedirectLoopOrTooManyHopsFails() throws Exception {
        JsonNode loop = probe("{\"url\":\"" + base + "/loop-a\",\"followRedirects\":true}");
        assertFalse(loop.get("ok").asBoolean());
        assertEquals("redirect", loop.get("errorKind").asText());
        assertTrue(loop.get("error").asText().startsWith("redirect loop"), loop.toString());
        assertEquals(2, loop.get("redirects").size());
        JsonNode tooMany = probe("{\"url\":\"" + base + "/hop/5\",\"followRedirects\":true,\"maxRedirects\":3}");
        assertFalse(tooMany.get("ok").asBoolean());
        assertEquals("redirect", tooMany.get("errorKind").asText());
        assertTrue(tooMany.get("error").asText().startsWith("too many redirects"), tooMany.toString());
    }

    @Test
    void aRedirectToTheMetadataEndpointIsNotFollowed() throws Exception {
        JsonNode result = probe("{\"url\":\"" + base + "/to-metadata\",\"followRedirects\":true,\"timeoutMs\":1000}");
        assertFalse(result.get("ok").asBoolean());
        assertEquals("refused", result.get("errorKind").asText(), result.toString());
    }

    @Test
    void errorKinds() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertEquals(
                "connect",
                probe("{\"url\":\"http://127.0.0.1:" + port + "/\"}")
                        .get("errorKind")
                        .asText());
        assertEquals(
                "dns",
                probe("{\"url\":\"http://no-such-host.invalid/\"}")
                        .get("errorKind")
                        .asText());
        // accepts the connection, never answers
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JsonNode r = probe("{\"url\":\"http://127.0.0.1:" + silent.getLocalPort() + "/\",\"timeoutMs\":300}");
            assertEquals("timeout", r.get("errorKind").asText(), r.toString());
        }
    }

    @Test
    void anExpiredSelfSignedCertificateFailsButItsExpiryIsReported(@TempDir Path dir) throws Exception {
        try (TlsServer tls = new TlsServer(dir, "-400d", 30)) {
            java.security.cert.X509Certificate cert = tls.certificate(dir);
            JsonNode r = probe("{\"url\":\"https://127.0.0.1:" + tls.port() + "/\"}");
            assertFalse(r.get("ok").asBoolean());
            assertEquals("tls", r.get("errorKind").asText(), r.toString());
            assertEquals(
                    cert.getNotAfter().toInstant().toString(),
                    r.get("tlsExpiresAt").asText());
            assertTrue(r.get("tls").get("issuer").asText().contains("CN=localhost"));

            JsonNode t = new TlsProbeHandler()
                    .handle(new Task(
                            "t2", "tls.probe", mapper.readTree("{\"target\":\"127.0.0.1:" + tls.port() + "\"}")));
            assertFalse(t.get("ok").asBoolean());
            assertFalse(t.get("valid").asBoolean());
            assertEquals("tls", t.get("errorKind").asText());
            assertEquals(
                    cert.getNotAfter().toInstant().toString(),
                    t.get("tlsExpiresAt").asText());
            assertTrue(t.get("daysLeft").asLong() < 0, t.toString());
        }
    }

    @Test
    void aSoonExpiringSelfSignedCertificateReportsItsDaysLeft(@TempDir Path dir) throws Exception {
        try (TlsServer tls = new TlsServer(dir, "-10d", 15)) {
            JsonNode t = new TlsProbeHandler()
                    .handle(new Task(
                            "t3",
                            "tls.probe",
                            mapper.readTree("{\"target\":\"localhost:" + tls.port() + "\",\"minDaysLeft\":14}")));
            assertFalse(t.get("ok").asBoolean(), "self-signed: not trusted");
            long days = t.get("daysLeft").asLong();
            assertTrue(days >= 3 && days <= 5, t.toString());
            assertEquals(
                    tls.certificate(dir).getNotAfter().toInstant().toString(),
                    t.get("tlsExpiresAt").asText());
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
        assertInvalid("{\"url\":\"http://x\",\"expectStatuses\":[600]}", "expectStatuses");
        assertInvalid("{\"url\":\"http://x\",\"maxRedirects\":21}", "maxRedirects");
        assertInvalid("{\"url\":\"http://x\",\"followRedirects\":\"yes\"}", "followRedirects");
        assertInvalid("{\"url\":\"http://x\",\"bodyContains\":\"\"}", "bodyContains");
    }

    private void assertInvalid(String json, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> probe(json));
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
