package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.certificates.testing.Pebble;
import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * An EDGE agent terminating TLS, end to end: a service with {@code tls auto} placed on a host agent only; the edge
 * agent (role edge) gets a site for it that forwards to the host agent. Pebble's DNS sends the name to the EDGE, so
 * Pebble validates http-01 through the edge's nginx (the edge serves the tokens like every agent); the edge then
 * presents the issued certificate (chain checked against Pebble's root, SNI) and proxies the HTTPS request to the host
 * agent, which proxies it to the upstream; the core's served check confirms the edge too. The service keeps
 * {@code redirectHttp: true}: the host agent trusts the edge ({@code FLEETGATE_PROXY_TRUSTED_PROXIES}), so it serves
 * the edge's forwarded https (upstream sees {@code X-Forwarded-Proto: https}) instead of redirecting it back. Both nginx listen on the
 * same ports on two loopback addresses (edge 127.0.0.2, host 127.0.0.3; the proxy's {@code edgeTargetPort} is that
 * HTTP port). Ports: nginx 22734 (http, Pebble's http-01 port) / 22735 (https), admin 22736 / 22737, core
 * 22738–22742, upstream 22743, Pebble 22744–22748.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeTlsE2EIT {
    private static final int HTTP = 22734;
    private static final int HTTPS = 22735;
    private static final int CORE = 22738;
    private static final int UPSTREAM = 22743;
    private static final String EDGE = "127.0.0.2";
    private static final String HOST = "127.0.0.3";
    private static final String NAME = "shop.edge.e2e.test";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private TestDatabase db;
    private Pebble pebble;
    private CoreProcess core;
    private AgentProcess edge;
    private AgentProcess host;
    private HttpServer upstream;
    private Api admin;

    @BeforeAll
    void start() throws Exception {
        Path work = Files.createDirectories(
                Path.of("target/e2e").toAbsolutePath().resolve("edge-tls-" + System.currentTimeMillis()));
        pebble = new Pebble(22744, HTTP, Map.of());
        db = TestDatabase.create();
        core = CoreProcess.install(work, CORE, db, Map.of("syncIntervalSeconds", "5"));
        core.configure("dev.fleetgate.certificates", TlsProbe.orderingFrom(pebble));
        Files.writeString(
                core.home().resolve("etc/dev.fleetgate.proxy.cfg"),
                "edgeTargetPort = " + HTTP + "\nreservedTargetPorts = 18081,8101,8080,8443,5432,2375,2376\n");
        core.start();
        admin = core.admin();
        upstream = Services.upstream(
                UPSTREAM, 16, 1, ex -> "hello via " + ex.getRequestHeaders().getFirst("X-Forwarded-Proto"));
        edge = new AgentProcess(Files.createDirectories(work.resolve("edge"))).proxyPorts(EDGE, HTTP, HTTPS, 22736);
        host = new AgentProcess(Files.createDirectories(work.resolve("host"))).proxyPorts(HOST, HTTP, HTTPS, 22737);
    }

    @AfterAll
    void stop() throws Exception {
        Processes.stopAgentsAndCore(java.util.Arrays.asList(edge, host), core, db);
        if (upstream != null) {
            upstream.stop(0);
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    private String enrol(AgentProcess agent, String name, Map<String, String> env) throws Exception {
        return agent.enrol(admin, core.url(), name, env, WAIT);
    }

    @Test
    void theEdgeValidatesServesTheIssuedCertificateAndProxiesToTheHostAgent() throws Exception {
        enrol(edge, "edge", Map.of("FLEETGATE_AGENT_ROLE", "edge", "FLEETGATE_AGENT_ADDRESS", EDGE));
        // the edge's connections to 127.0.0.3 come from 127.0.0.1 (ip route get 127.0.0.3: src 127.0.0.1): the host
        // agent trusts that peer's X-Forwarded-Proto, so it serves the edge's forwarded https instead of redirecting
        String hostId = enrol(
                host, "host", Map.of("FLEETGATE_AGENT_ADDRESS", HOST, "FLEETGATE_PROXY_TRUSTED_PROXIES", "127.0.0.1"));
        admin.put("/api/v1/certificates/account", Map.of("email", "admin@edge.e2e.test", "termsAgreed", true))
                .expect(200);
        pebble.resolve(NAME, EDGE); // Pebble reaches the edge for the name: the edge answers the token

        ObjectNode body = Services.tlsAuto("edge-shop", List.of(NAME), List.of(hostId), UPSTREAM);
        long t0 = System.nanoTime();
        String serviceId = admin.post("/api/v1/services", body)
                .expect(201)
                .body()
                .get("id")
                .asText();
        String certId = TlsProbe.awaitCertificate(admin, serviceId, WAIT);
        TrustManagerFactory trust = TlsProbe.trusting(pebble.issuingRoot());
        TlsProbe.awaitServed(
                admin,
                certId,
                "the edge serves the issued certificate",
                WAIT,
                () -> TlsProbe.leaf(trust, EDGE, HTTPS, NAME) != null);
        System.out.println("[edge-tls-e2e] tls auto on a host agent -> served by the edge: "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(pebble.log().contains(NAME), "Pebble validated the name (through the edge)");
        X509Certificate atEdge = TlsProbe.leaf(trust, EDGE, HTTPS, NAME);
        Processes.await("the host agent serves it too", WAIT, () -> TlsProbe.leaf(trust, HOST, HTTPS, NAME) != null);
        assertEquals(
                atEdge.getSerialNumber(),
                TlsProbe.leaf(trust, HOST, HTTPS, NAME).getSerialNumber());

        // HTTPS at the edge -> plain HTTP to the host agent -> the upstream
        String answer = Processes.awaitValue("the edge proxies HTTPS to the host agent", WAIT, () -> {
            String a = httpsGet(trust, EDGE, NAME);
            return a.startsWith("HTTP/1.1 200") ? a : null;
        });
        // no redirect loop (redirectHttp: true), and the upstream learns the client used https
        assertTrue(answer.endsWith("hello via https"), answer);
        // a plain request without the edge's header is still redirected, at the edge and at the host agent
        String plainAtEdge = httpGet(EDGE, NAME);
        assertTrue(plainAtEdge.startsWith("HTTP/1.1 301"), plainAtEdge);
        String plainAtHost = httpGet(HOST, NAME);
        assertTrue(plainAtHost.startsWith("HTTP/1.1 301"), plainAtHost);
        System.out.println("[edge-tls-e2e] the upstream answered through edge and host agent: "
                + answer.substring(answer.lastIndexOf('\n') + 1));
        Processes.await(
                "the core's served check, edge included", WAIT, () -> admin.get("/api/v1/certificates/" + certId)
                        .body()
                        .path("served")
                        .asBoolean(false));
    }

    /** GET / in plain HTTP at {@code address}; the whole answer, or the error. */
    private static String httpGet(String address, String name) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new InetSocketAddress(address, HTTP), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream()
                    .write(("GET / HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** GET / over TLS with SNI at {@code address}; the whole answer (status line … body), or the error. */
    private static String httpsGet(TrustManagerFactory trust, String address, String name) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust.getTrustManagers(), null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress(address, HTTPS), 2000);
                s.setSoTimeout(5000);
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(name)));
                s.setSSLParameters(p);
                s.startHandshake();
                s.getOutputStream()
                        .write(("GET / HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            return e.toString();
        }
    }
}
