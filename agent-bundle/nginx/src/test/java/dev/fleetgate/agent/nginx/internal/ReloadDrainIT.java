package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reload drain against a real nginx (ports 22900–22932): the changes that still reload nginx (a new listen
 * port) lose no request of concurrent keep-alive clients, and the drain makes every answer close its connection
 * only while it is on; with {@code httpsAlwaysOn} the first TLS site needs no reload at all.
 */
class ReloadDrainIT extends WithNginx {
    static final int HTTP = 22900;
    static final int ADMIN = 22902;
    static final int EXTRA_PORT = 22903;
    static final int RELOADS = 20;

    private Backend a;
    private Backend b;

    ReloadDrainIT() {
        super(HTTP, ADMIN, "2", "64m");
    }

    @BeforeEach
    void start() throws Exception {
        a = backend("A", 22910);
        b = backend("B", 22911);
    }

    /** The service on the extra port comes and goes: each apply changes the set of listeners, so nginx reloads. */
    private ObjectNode spec(boolean extra) {
        Specs.Service main = Specs.service("a", "a.test", a.port);
        if (!extra) {
            return Specs.spec(main);
        }
        Specs.Service other = Specs.service("p", "p.test", b.port);
        ((ObjectNode) other.site.get("listen").get(0)).put("port", EXTRA_PORT);
        return Specs.spec(main, other);
    }

    @Test
    void reloadsUnderConcurrentKeepAliveClientsLoseNothing() throws Exception {
        driver.apply(1, spec(false));
        long pid = driver.status().path("nginx").path("pid").asLong();
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        try (Load load = Load.running(HTTP, "a.test", 8)) {
            for (int i = 1; i <= RELOADS; i++) {
                driver.apply(1 + i, spec(i % 2 == 1));
                assertEquals(
                        "reload",
                        driver.status().path("nginx").path("applyMode").asText());
                load.awaitMore(20, "the load goes on after reload " + i);
            }
            load.close();
            assertEquals(0, load.failed(), "failed requests: " + load.failures());
            assertTrue(load.ok() > RELOADS * 20, "answered " + load.ok());
        }
        assertEquals(
                reloads + RELOADS, driver.status().path("nginx").path("reloads").asLong());
        assertEquals(pid, driver.status().path("nginx").path("pid").asLong(), "same master");
        assertEquals("A", Http.get(HTTP, "a.test", "/").body());
        assertFalse(closesAfterAnswer(), "the drain ended with the reload: connections are kept alive again");
    }

    @Test
    void whileTheDrainIsOnEveryAnswerClosesItsConnection() throws Exception {
        driver.apply(1, spec(false));
        AdminClient admin = new AdminClient(driver.settings().adminSocket());
        assertFalse(closesAfterAnswer());
        assertEquals(200, admin.post("/drain", "{\"on\":true}").status());
        assertTrue(closesAfterAnswer(), "a known host");
        assertTrue(closesAfterAnswer("unknown.test", 404), "an unknown host");
        assertEquals(200, admin.post("/drain", "{\"on\":false}").status());
        assertFalse(closesAfterAnswer());
        assertEquals(400, admin.post("/drain", "{\"on\":\"yes\"}").status());
        assertFalse(closesAfterAnswer(), "a refused call changes nothing");
        // a change of the routes while no drain is on keeps connections alive; a reload ends a drain left on
        assertEquals(200, admin.post("/drain", "{\"on\":true}").status());
        driver.apply(2, spec(true));
        assertFalse(closesAfterAnswer());
    }

    @Test
    void withTheHttpsPortAlwaysBoundTheFirstTlsSiteIsNoReload() throws Exception {
        driver.stopNginx();
        driver.close();
        driver = new ProxyDriver(Specs.settings(work.resolve("nginx-tls"), 22930, 22932, "1", "4m", true), () -> {});
        driver.start();
        Specs.Service plain = Specs.service("a", "a.test", a.port);
        driver.apply(1, Specs.spec(plain));
        assertEquals("A", Http.get(22930, "a.test", "/").body());
        assertThrows(Exception.class, () -> Tls.subject(22931, "t.test"), "no TLS site yet: no handshake");
        long pid = driver.status().path("nginx").path("pid").asLong();
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        Tls.Pem pem = Tls.selfSigned(work, "t.test");
        driver.apply(2, Specs.spec(plain, Specs.service("t", "t.test", b.port).tls("cert-t", pem, false)));
        assertEquals("dynamic", driver.status().path("nginx").path("applyMode").asText());
        assertEquals(reloads, driver.status().path("nginx").path("reloads").asLong(), "no reload");
        assertEquals(pid, driver.status().path("nginx").path("pid").asLong());
        assertTrue(Tls.subject(22931, "t.test").contains("t.test"));
    }

    private static boolean closesAfterAnswer() throws IOException {
        return closesAfterAnswer("a.test", 200);
    }

    /**
     * Sends two requests on one connection (the second only when the first answer did not say
     * {@code Connection: close}).
     *
     * @return whether the first answer said {@code Connection: close}
     */
    private static boolean closesAfterAnswer(String host, int status) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", HTTP), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            byte[] request = ("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            boolean[] close = new boolean[1];
            out.write(request);
            out.flush();
            assertEquals(status, Load.readResponse(in, close));
            if (close[0]) {
                assertEquals(-1, in.read(), "nginx closed the connection after the answer");
                return true;
            }
            out.write(request);
            out.flush();
            assertEquals(status, Load.readResponse(in, close));
            return false;
        }
    }
}
