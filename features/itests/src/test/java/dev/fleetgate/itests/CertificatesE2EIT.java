package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.certificates.testing.Pebble;

/**
 * Module 4 end to end with real processes: core and agent distributions, the agent's nginx, a real Pebble
 * validating http-01 against that nginx (no always-valid switch). A service with {@code tls auto} is served over
 * HTTPS with the issued certificate (checked by a Java TLS handshake with SNI against Pebble's root) and plain
 * HTTP redirects; the core then confirms, through each agent's own TLS handshake, that it serves it. Prints order →
 * served p50/p95. Runs on the shared {@link Fleet}, whose certificates configuration it points at Pebble for the
 * class (restored after): the fleet's nginx port is Pebble's http-01 port. Upstream 20740, Pebble 21420–21424.
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertificatesE2EIT {
    private static final String CERTIFICATES_PID = "dev.fleetgate.certificates";
    private static final int HTTP = Fleet.PROXY_HTTP;
    private static final int HTTPS = Fleet.PROXY_HTTPS;
    private static final int UPSTREAM = 20740;
    private static final int ROUNDS = 5;

    private Fleet fleet;
    private Pebble pebble;
    private Api admin;
    private String agentId;
    private HttpServer upstream;
    private TrustManagerFactory trustPebble;
    private final List<Long> servedMillis = new ArrayList<>();

    @BeforeAll
    void start(Fleet fleet) throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx with the lua module is required");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/pebble")), "pebble (Debian package) is required");
        this.fleet = fleet;
        admin = fleet.admin();
        agentId = fleet.agentId();
        pebble = new Pebble(21420, HTTP, Map.of());
        fleet.configure(CERTIFICATES_PID, TlsProbe.orderingFrom(pebble));
        upstream = Services.upstream(
                UPSTREAM, 64, 2, ex -> "hello " + ex.getRequestHeaders().getFirst("X-Forwarded-Proto"));
        trustPebble = TlsProbe.trusting(pebble.issuingRoot());
    }

    @AfterAll
    void stop() throws Exception {
        if (fleet != null) {
            for (JsonNode s : ownServices()) {
                admin.delete("/api/v1/services/" + s.get("id").asText());
            }
            fleet.restore(CERTIFICATES_PID);
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        if (pebble != null) {
            pebble.close();
        }
        if (!servedMillis.isEmpty()) {
            List<Long> sorted = new ArrayList<>(servedMillis);
            Collections.sort(sorted);
            System.out.println("[certificates-e2e] tls auto -> certificate served on the agent, " + sorted.size()
                    + " services: p50 " + sorted.get((sorted.size() - 1) / 2) + " ms, p95 "
                    + sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1) + " ms, all " + sorted);
        }
    }

    @Test
    @Order(1)
    void anAdminAgreesToTheTermsOfTheConfiguredAcmeServer() throws Exception {
        // the configuration written by start() reaches the running module through FileInstall and Config Admin
        JsonNode account =
                Processes.awaitValue("the certificates module configured for Pebble", Duration.ofSeconds(60), () -> {
                    // the module's REST resources answer 404 while Config Admin restarts it with the new settings
                    Api.Response a = admin.put(
                            "/api/v1/certificates/account",
                            Map.of("email", "admin@certs.e2e.test", "termsAgreed", true));
                    return a.status() == 200
                                    && pebble.directoryUrl()
                                            .equals(a.body()
                                                    .path("directoryUrl")
                                                    .asText())
                            ? a.body()
                            : null;
                });
        assertEquals(pebble.directoryUrl(), account.get("directoryUrl").asText());
        assertTrue(account.get("termsAgreed").asBoolean());
        assertEquals(
                400,
                admin.put("/api/v1/certificates/account", Map.of("email", "not an address"))
                        .status());
        assertEquals(
                400,
                admin.post("/api/v1/certificates", Map.of("domains", List.of("bad..name")))
                        .status());
    }

    @Test
    @Order(2)
    void aServiceWithTlsAutoIsServedOverHttpsWithTheIssuedCertificateAndHttpRedirects() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            String host = "shop" + i + ".certs.e2e.test";
            ObjectNode body = service("shop" + i, host);
            long t0;
            String id;
            if (i % 2 == 0) {
                // tls in the body of POST /services
                body.putObject("tls").put("mode", "auto").put("redirectHttp", true);
                t0 = System.nanoTime();
                id = admin.post("/api/v1/services", body)
                        .expect(201)
                        .body()
                        .get("id")
                        .asText();
            } else {
                // first plain HTTP, then tls in the body of PUT /services/{id}
                id = admin.post("/api/v1/services", body)
                        .expect(201)
                        .body()
                        .get("id")
                        .asText();
                Processes.await(
                        host + " over plain HTTP",
                        Duration.ofSeconds(30),
                        () -> get(host, "/").status() == 200);
                body.putObject("tls").put("mode", "auto").put("redirectHttp", true);
                t0 = System.nanoTime();
                admin.put("/api/v1/services/" + id, body).expect(200);
            }
            JsonNode stored =
                    admin.get("/api/v1/services/" + id).expect(200).body().get("tls");
            assertEquals("auto", stored.get("mode").asText(), stored.toString());
            assertTrue(stored.get("redirectHttp").asBoolean(), stored.toString());
            String sid = id;
            Processes.await(host + " has its certificate", Duration.ofSeconds(30), () -> !admin.get(
                            "/api/v1/services/" + sid + "/tls")
                    .body()
                    .path("certificateId")
                    .isNull());
            JsonNode tls =
                    admin.get("/api/v1/services/" + id + "/tls").expect(200).body();
            assertEquals("auto", tls.get("mode").asText());
            String certId = tls.get("certificateId").asText();
            Processes.await(
                    host + " served over HTTPS with its certificate",
                    Duration.ofSeconds(90),
                    () -> served(host) != null);
            servedMillis.add((System.nanoTime() - t0) / 1_000_000);

            X509Certificate leaf = served(host);
            assertTrue(TlsProbe.sans(leaf).contains(host), TlsProbe.sans(leaf).toString());
            assertEquals("hello https", httpsGet(host), "proxied to the upstream over TLS");
            Reply plain = get(host, "/some/page");
            assertEquals(301, plain.status(), plain.head());
            assertTrue(
                    plain.head().toLowerCase().contains("location: https://" + host + ":" + HTTPS + "/some/page"),
                    plain.head());

            JsonNode cert =
                    admin.get("/api/v1/certificates/" + certId).expect(200).body();
            assertEquals("VALID", cert.get("state").asText(), cert.toString());
            assertEquals(List.of(host), List.of(cert.get("domains").get(0).asText()));
            assertEquals(
                    leaf.getNotAfter().toInstant().toString(),
                    cert.get("notAfter").asText());
            assertFalse(cert.get("nextRenewal").isNull());
            assertTrue(cert.get("privateKeySet").asBoolean());
            assertFalse(cert.toString().contains("PRIVATE KEY"), "the key never leaves through the API");
            Processes.await(
                    host + " confirmed served by the agent itself (tls.served)",
                    Duration.ofSeconds(60),
                    () -> admin.get("/api/v1/certificates/" + certId)
                            .body()
                            .path("served")
                            .asBoolean(false));
        }
        JsonNode list = admin.get("/api/v1/certificates").expect(200).body();
        assertEquals(ROUNDS, list.size());
    }

    @Test
    @Order(3)
    void aBadTlsIsRefusedNamingTheFieldAndTheTlsSubResourceWritesTheService() throws Exception {
        ObjectNode body = service("bad-tls", "bad-tls.certs.e2e.test");
        body.putObject("tls").put("mode", "on");
        Api.Response r = admin.post("/api/v1/services", body);
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertEquals("tls.mode", r.body().path("errors").get(0).path("field").asText());
        body.putObject("tls").put("mode", "custom");
        r = admin.post("/api/v1/services", body);
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertEquals(
                "tls.certificateId",
                r.body().path("errors").get(0).path("field").asText());
        List<JsonNode> list = ownServices();
        // the convenience PUT /services/{id}/tls writes the service's own field (one source of truth)
        JsonNode first = list.get(0);
        String id = first.get("id").asText();
        JsonNode tls = admin.put(
                        "/api/v1/services/" + id + "/tls",
                        Map.of("mode", "auto", "redirectHttp", true, "hstsMaxAgeSeconds", 600))
                .expect(200)
                .body();
        assertEquals(600, tls.get("hstsMaxAgeSeconds").asInt(), tls.toString());
        JsonNode after = admin.get("/api/v1/services/" + id).expect(200).body();
        assertEquals(600, after.path("tls").path("hstsMaxAgeSeconds").asInt(), after.toString());
        assertTrue(after.get("revision").asLong() > first.get("revision").asLong(), "a new service revision");
        assertEquals(
                400,
                admin.put(
                                "/api/v1/services/" + id + "/tls",
                                Map.of("mode", "custom", "certificateId", "5f0c8f5e-8a7b-4a35-9d1a-1c2b3d4e5f60"))
                        .status());
        for (JsonNode s : ownServices()) {
            assertEquals("auto", s.path("tls").path("mode").asText(), s.toString());
        }
    }

    @Test
    @Order(4)
    void noPrivateKeyIsStoredInPlaintextInTheDesiredState() throws Exception {
        try (var c = fleet.db().dataSource().getConnection();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM desired_state WHERE body::text LIKE '%PRIVATE KEY%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    /** The services of this class (the shared core may hold other classes' services). */
    private List<JsonNode> ownServices() {
        List<JsonNode> own = new ArrayList<>();
        for (JsonNode s : admin.get("/api/v1/services").expect(200).body()) {
            if (s.path("domains").path(0).asText().endsWith(".certs.e2e.test")) {
                own.add(s);
            }
        }
        return own;
    }

    private ObjectNode service(String name, String host) {
        return Services.unchecked("certs-" + name, List.of(host), List.of(agentId), UPSTREAM);
    }

    /** @return the leaf the agent serves for {@code host} (SNI) when Pebble's root validates its chain, else null */
    private X509Certificate served(String host) {
        try (SSLSocket s = handshake(host)) {
            X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
            return TlsProbe.sans(leaf).contains(host) ? leaf : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A new TLS context each time: a cached session of another site (same address and port) is never resumed. */
    private SSLSocket handshake(String host) throws IOException {
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustPebble.getTrustManagers(), null);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", HTTPS), 2000);
        s.setSoTimeout(5000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private String httpsGet(String host) throws IOException {
        try (SSLSocket s = handshake(host)) {
            s.getOutputStream()
                    .write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        }
    }

    private record Reply(int status, String head) {}

    /** A plain GET with a Host header (java.net.http refuses to set Host). */
    private static Reply get(String host, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", HTTP), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return new Reply(Integer.parseInt(text.split(" ", 3)[1]), end < 0 ? text : text.substring(0, end));
        } catch (IOException | RuntimeException e) {
            return new Reply(-1, e.toString());
        }
    }
}
