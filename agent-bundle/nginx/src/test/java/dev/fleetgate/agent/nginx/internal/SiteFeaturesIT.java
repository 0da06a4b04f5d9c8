package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** TLS, HTTP→HTTPS redirect, error pages and ACME tokens through a real nginx (ports 19060–19069). */
class SiteFeaturesIT extends WithNginx {
    static final int HTTP = 19060;
    static final int HTTPS = 19061;
    static final int ADMIN = 19062;

    private Backend a;

    SiteFeaturesIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        a = backend("A", 19065);
    }

    @Test
    void tlsRedirectErrorPagesAndAcmeTokens() throws Exception {
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-subj",
                        "/CN=a.test",
                        "-days",
                        "1",
                        "-keyout",
                        work.resolve("k.pem").toString(),
                        "-out",
                        work.resolve("c.pem").toString())
                .redirectErrorStream(true)
                .start();
        openssl.getInputStream().readAllBytes();
        assertEquals(0, openssl.waitFor(), "openssl is required");
        Specs.Service s = Specs.service("s1", "a.test");
        s.site.withArray("listen").addObject().put("tls", true);
        s.site.putObject("tls")
                .put("certificateId", "cert-1")
                .put("certificatePem", Files.readString(work.resolve("c.pem")))
                .put("privateKeyPem", Files.readString(work.resolve("k.pem")))
                .put("redirectHttp", true)
                .put("hstsMaxAgeSeconds", 60);
        ObjectNode page = s.site.putArray("errorPages")
                .addObject()
                .put("contentType", "text/html; charset=utf-8")
                .put("body", "<h1>Down for \"maintenance\"; back soon {}</h1>");
        page.putArray("statuses").add(502).add(503);
        s.site.withArray("locations")
                .addObject()
                .put("path", "/.well-known/acme-challenge/")
                .put("handler", "acme-challenge");
        driver.apply(1, Specs.spec(s));

        Http.Reply redirect = Http.get(HTTP, "a.test", "/x?y=1");
        assertEquals(301, redirect.status(), redirect.body());
        Files.writeString(driver.settings().workDir().resolve("acme/token-1"), "token-1.key");
        assertEquals(
                "token-1.key",
                Http.get(HTTP, "a.test", "/.well-known/acme-challenge/token-1").body());

        String https = httpsGet("a.test", "/");
        assertTrue(https.startsWith("HTTP/1.1 503"), https);
        assertTrue(https.contains("Down for \"maintenance\"; back soon {}"), "the pages module's page: " + https);
        assertTrue(https.contains("Strict-Transport-Security: max-age=60"), https);
        assertTrue(https.toLowerCase().contains("content-type: text/html; charset=utf-8"), https);

        ((ObjectNode) s.upstream)
                .putArray("targets")
                .addObject()
                .put("host", "127.0.0.1")
                .put("port", a.port);
        driver.apply(2, Specs.spec(s));
        String served = httpsGet("a.test", "/");
        assertTrue(served.startsWith("HTTP/1.1 200") && served.endsWith("A"), served);
        // TLS 1.2 with AEAD suites only (CBC suites are refused), and TLS 1.3
        assertEquals(
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                Tls.negotiate(HTTPS, "a.test", "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        assertEquals("TLS_AES_128_GCM_SHA256", Tls.negotiate(HTTPS, "a.test", "TLSv1.3", "TLS_AES_128_GCM_SHA256"));
        assertThrows(
                javax.net.ssl.SSLException.class,
                () -> Tls.negotiate(HTTPS, "a.test", "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"));
        // the key lives in shared memory and in 0600 files only (routes.json for a restart of nginx, state.json)
        for (String file : List.of("routes.json", "state.json", "tls/fallback.key")) {
            assertEquals(
                    "rw-------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                            driver.settings().workDir().resolve(file))),
                    file);
        }
        try (var files = Files.walk(driver.settings().confFile().toRealPath().getParent())) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".key")), "no key in the generation");
        }
    }

    /** An upgrade through nginx: a raw upstream answers 101 to an upgrade request and echoes what follows. */
    @Test
    void websocketsUpgradeOnlyWhereTheSiteAllowsIt() throws Exception {
        try (java.net.ServerSocket upstream =
                new java.net.ServerSocket(19066, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread server = new Thread(() -> {
                while (!upstream.isClosed()) {
                    try (java.net.Socket c = upstream.accept()) {
                        c.setSoTimeout(10_000);
                        var in = new java.io.BufferedReader(
                                new java.io.InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
                        StringBuilder head = new StringBuilder();
                        for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                            head.append(l.toLowerCase()).append('\n');
                        }
                        var out = c.getOutputStream();
                        if (head.indexOf("connection: upgrade") >= 0 && head.indexOf("upgrade: websocket") >= 0) {
                            out.write(
                                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                            String line = in.readLine();
                            out.write(("echo " + line + "\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        } else {
                            out.write(
                                    "HTTP/1.1 400 Bad Request\r\nContent-Length: 10\r\nConnection: close\r\n\r\nno upgrade"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        }
                    } catch (java.io.IOException e) {
                        // closed
                    }
                }
            });
            server.setDaemon(true);
            server.start();
            Specs.Service s = Specs.service("ws", "ws.test", 19066);
            s.upstream.put("keepalive", 0);
            s.site.put("websockets", true);
            driver.apply(1, Specs.spec(s));
            assertEquals("HTTP/1.1 101 Switching Protocols|echo hello", upgrade("ws.test"));
            s.site.put("websockets", false);
            driver.apply(2, Specs.spec(s));
            assertTrue(upgrade("ws.test").startsWith("HTTP/1.1 400"), "no upgrade without websockets");
            assertEquals(
                    "dynamic", driver.status().path("nginx").path("applyMode").asText());
        }
    }

    private static String upgrade(String host) throws Exception {
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", HTTP)) {
            c.setSoTimeout(10_000);
            c.getOutputStream()
                    .write(("GET /ws HTTP/1.1\r\nHost: " + host
                                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
            String status = in.readLine();
            for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                // headers
            }
            if (!status.contains(" 101 ")) {
                return status;
            }
            c.getOutputStream().write("hello\n".getBytes(StandardCharsets.ISO_8859_1));
            return status + "|" + in.readLine();
        }
    }

    private static String httpsGet(String host, String path) throws Exception {
        try (SSLSocket socket = Tls.connect(HTTPS, host)) {
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
