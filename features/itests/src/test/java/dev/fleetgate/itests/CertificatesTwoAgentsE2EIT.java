package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.certificates.testing.Pebble;
import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * http-01 for ONE service placed on TWO agents, validated by a real Pebble (no always-valid switch). Pebble validates
 * on one HTTP port, so the two agents' nginx listen on the same port on two loopback addresses (agent A on
 * 127.0.0.2, agent B on 127.0.0.3) and pebble-challtestsrv (Pebble's DNS) decides which agent Pebble reaches for
 * each name: first {@code a.two.e2e.test} → A and {@code b.two.e2e.test} → B, then, for the renewal, the other way
 * round. Pebble reuses no authorization ({@code PEBBLE_AUTHZREUSE=0}): every order is validated again, so both
 * agents answered the tokens of both names, i.e. every agent serves every token and validation succeeds whichever
 * agent the CA reaches. Both agents then serve the certificate over HTTPS and the core's served check (tls.served on
 * each agent) confirms it. Ports: core 22420–22424, nginx 22430 (http, Pebble's http-01 port) and 22431 (https) on
 * 127.0.0.2 and 127.0.0.3, admin 22432/22433, upstream 22440, Pebble 22460–22464.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificatesTwoAgentsE2EIT {
    private static final int CORE = 22420;
    private static final int HTTP = 22430;
    private static final int HTTPS = 22431;
    private static final int UPSTREAM = 22440;
    private static final String A = "127.0.0.2";
    private static final String B = "127.0.0.3";
    private static final String NAME_A = "a.two.e2e.test";
    private static final String NAME_B = "b.two.e2e.test";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private TestDatabase db;
    private Pebble pebble;
    private CoreProcess core;
    private AgentProcess agentA;
    private AgentProcess agentB;
    private HttpServer upstream;
    private Api admin;

    @BeforeAll
    void start() throws Exception {
        Path work = Files.createDirectories(
                Path.of("target/e2e").toAbsolutePath().resolve("certs-two-" + System.currentTimeMillis()));
        pebble = new Pebble(22460, HTTP, Map.of("PEBBLE_AUTHZREUSE", "0"));
        db = TestDatabase.create();
        core = CoreProcess.install(work, CORE, db, Map.of("syncIntervalSeconds", "5"));
        core.configure("dev.fleetgate.certificates", TlsProbe.orderingFrom(pebble));
        core.start();
        admin = core.admin();
        upstream = Services.upstream(UPSTREAM, 64, 2, ex -> "hello");
        agentA = new AgentProcess(Files.createDirectories(work.resolve("a"))).proxyPorts(A, HTTP, HTTPS, 22432);
        agentB = new AgentProcess(Files.createDirectories(work.resolve("b"))).proxyPorts(B, HTTP, HTTPS, 22433);
    }

    @AfterAll
    void stop() throws Exception {
        Processes.stopAgentsAndCore(java.util.Arrays.asList(agentA, agentB), core, db);
        if (upstream != null) {
            upstream.stop(0);
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    private String enrol(AgentProcess agent, String name) throws Exception {
        return agent.enrol(admin, core.url(), name, WAIT);
    }

    @Test
    void oneServiceOnTwoAgentsIsValidatedWhicheverAgentPebbleReachesAndServedByBoth() throws Exception {
        String a = enrol(agentA, "two-a");
        String b = enrol(agentB, "two-b");
        admin.put("/api/v1/certificates/account", Map.of("email", "admin@two.e2e.test", "termsAgreed", true))
                .expect(200);
        pebble.resolve(NAME_A, A);
        pebble.resolve(NAME_B, B);

        ObjectNode body = Services.tlsAuto("two", List.of(NAME_A, NAME_B), List.of(a, b), UPSTREAM);
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
                "both agents serve the issued certificate for both names",
                WAIT,
                () -> TlsProbe.leaf(trust, A, HTTPS, NAME_A) != null
                        && TlsProbe.leaf(trust, B, HTTPS, NAME_B) != null
                        && TlsProbe.leaf(trust, A, HTTPS, NAME_B) != null
                        && TlsProbe.leaf(trust, B, HTTPS, NAME_A) != null);
        System.out.println("[certificates-two-agents-e2e] tls auto on two agents -> served by both: "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        X509Certificate first = TlsProbe.leaf(trust, A, HTTPS, NAME_A);
        assertEquals(
                List.of(NAME_A, NAME_B), TlsProbe.sans(first).stream().sorted().toList());
        assertEquals(
                first.getSerialNumber(), TlsProbe.leaf(trust, B, HTTPS, NAME_B).getSerialNumber());
        Processes.await(
                "the core's served check on both agents", WAIT, () -> admin.get("/api/v1/certificates/" + certId)
                        .body()
                        .path("served")
                        .asBoolean(false));

        // the other way round: Pebble now reaches B for a.*, A for b.*; no authorization is reused
        pebble.resolve(NAME_A, B);
        pebble.resolve(NAME_B, A);
        admin.post("/api/v1/certificates/" + certId + "/renew", Map.of()).expect(202);
        TlsProbe.awaitServed(admin, certId, "the renewed certificate served by both agents", WAIT, () -> {
            X509Certificate onA = TlsProbe.leaf(trust, A, HTTPS, NAME_B);
            X509Certificate onB = TlsProbe.leaf(trust, B, HTTPS, NAME_A);
            return onA != null
                    && onB != null
                    && !onA.getSerialNumber().equals(first.getSerialNumber())
                    && onA.getSerialNumber().equals(onB.getSerialNumber());
        });
        JsonNode renewed =
                admin.get("/api/v1/certificates/" + certId).expect(200).body();
        assertEquals("VALID", renewed.get("state").asText(), renewed.toString());
        String log = pebble.log();
        assertTrue(log.contains(NAME_A) && log.contains(NAME_B), "Pebble validated both names");
    }
}
