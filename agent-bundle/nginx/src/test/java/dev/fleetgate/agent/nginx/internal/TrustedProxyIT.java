package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The real client behind an edge (nginx realip, ports 22760–22769): only a request from a trusted proxy
 * (127.0.0.1 here, the edge agent) names the client in X-Forwarded-For; the access log and the firewall's blocks
 * then act on that client. A header from any other peer is ignored, so a client cannot spoof its way out of a
 * block or into someone else's.
 */
class TrustedProxyIT extends WithNginx {
    static final int HTTP = 22760;
    static final int ADMIN = 22762;

    private Backend backend;

    TrustedProxyIT() {
        super(HTTP, ADMIN);
    }

    @Override
    NginxSettings settings(Path workDir) {
        return super.settings(workDir).withTrustedProxies(List.of("127.0.0.1"));
    }

    @BeforeEach
    void start() throws Exception {
        backend = backend("A", 22765);
        driver.apply(1, Specs.spec(Specs.service("11111111-2222-3333-4444-555555555555", "edge.test", backend.port)));
    }

    @Test
    void onlyTheTrustedEdgeNamesTheClient() throws Exception {
        ObjectNode body = Spec.JSON.createObjectNode();
        body.putArray("blocks")
                .addObject()
                .put("ip", "127.0.0.9")
                .put("action", "block")
                .put("expiresAt", System.currentTimeMillis() / 1000 + 600);
        new FirewallBlocksApplier(driver.settings()).apply(2, body);

        // behind the edge: the client the edge names is blocked, the others served
        assertEquals(403, get("127.0.0.1", "127.0.0.9"));
        assertEquals(200, get("127.0.0.1", "127.0.0.4"));
        // a client that sent its own X-Forwarded-For through the edge: the edge appends the real one, which counts
        assertEquals(200, get("127.0.0.1", "127.0.0.9, 127.0.0.4"));
        assertEquals(403, get("127.0.0.1", "127.0.0.4, 127.0.0.9"));
        // an untrusted peer's header is ignored: no way out of a block, no way to get someone else blocked
        assertEquals(403, get("127.0.0.9", "127.0.0.3"));
        assertEquals(200, get("127.0.0.2", "127.0.0.9"));
        assertEquals(200, get("127.0.0.2", null));

        // the access log (what the detectors read) has the real client, never a spoofed one
        Path log = driver.settings().accessLog();
        Await.until("the access log", Duration.ofSeconds(15), () -> lines(log).size() >= 7);
        List<String> lines = lines(log);
        assertEquals(3, count(lines, "\"client\":\"127.0.0.9\""), String.join("\n", lines)); // 2 via the edge
        assertEquals(2, count(lines, "\"client\":\"127.0.0.4\""), String.join("\n", lines));
        assertEquals(2, count(lines, "\"client\":\"127.0.0.2\""), String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.contains("\"client\":\"127.0.0.3\"")), String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.contains("\"client\":\"127.0.0.1\"")), String.join("\n", lines));
    }

    @Test
    void badTrustedProxiesAreRefused() {
        for (String bad : List.of("edge.example", "10.0.0.0/33", "10.0.0", "1.2.3.4; deny all", "::1/129")) {
            assertThrows(IllegalArgumentException.class, () -> driver.settings().withTrustedProxies(List.of(bad)), bad);
        }
        assertTrue(driver.settings()
                        .withTrustedProxies(List.of("10.0.0.0/8", "2001:db8::/32", "::1"))
                        .trustedProxies()
                        .size()
                == 3);
    }

    private static List<String> lines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long count(List<String> lines, String what) {
        return lines.stream().filter(l -> l.contains(what)).count();
    }

    /** @return the status of a GET from a loopback client address, with an X-Forwarded-For header unless null */
    private static int get(String from, String forwardedFor) throws IOException {
        return Http.statusFrom(
                from,
                HTTP,
                "GET / HTTP/1.0\r\nHost: edge.test\r\n"
                        + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n");
    }
}
