package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host agent behind an edge agent (real nginx, ports 23020–23039): the edge terminates TLS and forwards plain HTTP
 * with {@code X-Forwarded-Proto: https}. A TLS site with {@code redirectHttp} serves such a request when it comes
 * from a trusted proxy (no redirect loop) and passes the https on; any other plain request is redirected, a spoofed
 * header from an untrusted peer included. Without trusted proxies nothing changes.
 */
class EdgeRedirectIT {
    static final String ID = "11111111-2222-3333-4444-555555555555";
    static final String PLAIN_ID = "11111111-2222-3333-4444-666666666666";

    @TempDir
    Path work;

    private ProxyDriver driver;
    private Backend backend;

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.stopNginx();
            driver.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aTrustedEdgesForwardedHttpsIsServedOthersRedirected() throws Exception {
        int http = 23020; // its HTTPS port is 23021
        start(http, 23022, 23025, List.of("127.0.0.1"));

        // the edge (trusted) forwarded an https request: served, and the upstream learns https
        String edge = get("127.0.0.1", http, "edge.test", "https");
        assertEquals(200, status(edge), edge);
        assertTrue(edge.contains("x-seen-forwarded-proto: https"), edge);
        // the edge forwarded a plain request, or no header: redirected as before
        assertEquals(301, status(get("127.0.0.1", http, "edge.test", "http")));
        String plain = get("127.0.0.1", http, "edge.test", null);
        assertEquals(301, status(plain), plain);
        assertTrue(plain.contains("location: https://edge.test:" + (http + 1) + "/x?y=1"), plain);
        // an untrusted peer cannot skip the redirect by saying https
        assertEquals(301, status(get("127.0.0.2", http, "edge.test", "https")));

        // a plain-only site: a trusted peer's X-Forwarded-Proto goes upstream, anyone else's is replaced by $scheme
        assertTrue(get("127.0.0.1", http, "plain.test", "https").contains("x-seen-forwarded-proto: https"));
        assertTrue(get("127.0.0.1", http, "plain.test", null).contains("x-seen-forwarded-proto: http\r\n"));
        String spoofed = get("127.0.0.2", http, "plain.test", "https");
        assertEquals(200, status(spoofed), spoofed);
        assertTrue(spoofed.contains("x-seen-forwarded-proto: http\r\n"), spoofed);
        // a value other than http/https is not passed on either
        assertTrue(get("127.0.0.1", http, "plain.test", "gopher").contains("x-seen-forwarded-proto: http\r\n"));
    }

    @Test
    void withoutTrustedProxiesEveryPlainRequestIsRedirected() throws Exception {
        int http = 23030;
        start(http, 23032, 23035, List.of());

        assertEquals(301, status(get("127.0.0.1", http, "edge.test", "https")));
        assertEquals(301, status(get("127.0.0.1", http, "edge.test", null)));
        String spoofed = get("127.0.0.1", http, "plain.test", "https");
        assertEquals(200, status(spoofed), spoofed);
        assertTrue(spoofed.contains("x-seen-forwarded-proto: http\r\n"), spoofed);
    }

    private void start(int http, int admin, int backendPort, List<String> trusted) throws Exception {
        backend = new Backend("A", backendPort);
        NginxSettings settings =
                Specs.settings(work.resolve("nginx"), http, admin).withTrustedProxies(trusted);
        driver = new ProxyDriver(settings, () -> {});
        driver.start();
        Specs.Service tls =
                Specs.service(ID, "edge.test", backendPort).tls("cert-edge", Tls.selfSigned(work, "edge.test"), true);
        driver.apply(1, Specs.spec(tls, Specs.service(PLAIN_ID, "plain.test", backendPort)));
    }

    private static int status(String response) {
        return Integer.parseInt(response.split(" ", 3)[1]);
    }

    /** @return the raw response to a plain GET /x?y=1 from a loopback client address, X-Forwarded-Proto unless null */
    private static String get(String from, int port, String host, String forwardedProto) throws IOException {
        String response = Http.rawFrom(
                from,
                port,
                "GET /x?y=1 HTTP/1.0\r\nHost: " + host + "\r\n"
                        + (forwardedProto == null ? "" : "X-Forwarded-Proto: " + forwardedProto + "\r\n") + "\r\n");
        // the JDK server spells header names its own way (X-seen-forwarded-proto): compare in lower case
        return response.toLowerCase(java.util.Locale.ROOT);
    }
}
