package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.certificates.testing.OcspResponder;

/**
 * OCSP stapling end to end: a test CA whose leaf names OpenSSL's real OCSP responder ({@link OcspResponder}); the
 * certificate (with its chain) is uploaded and a service uses it ({@code tls custom}); the core fetches and verifies
 * the response, the agent's nginx staples it in the Lua certificate phase, and {@code openssl s_client -status} sees
 * "good". Revoked in index.txt, the next refresh makes the staple "revoked" and fires {@code certificate.revoked};
 * the responder stopped, fetching fails, {@code certificate.ocsp.failed} fires after three attempts while the last
 * verified response is still stapled. A leaf without a responder has nothing stapled.
 * Runs on the shared {@link Fleet} (its agent's nginx serves and staples), whose certificates configuration it sets to
 * refresh every 2 s for the class (restored after); it removes its services, certificates and rules. Ports: upstream
 * 22715, OCSP responder 22720, nothing on 22721 (the ACME directory it configures, never used).
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OcspStaplingE2EIT {
    private static final String CERTIFICATES_PID = "dev.fleetgate.certificates";
    private static final int HTTPS = Fleet.PROXY_HTTPS;
    private static final int UPSTREAM = 22715;
    private static final int RESPONDER = 22720;
    private static final int NO_DIRECTORY = 22721; // nothing listens
    private static final String HOST = "ocsp.e2e.test";
    private static final String PLAIN_HOST = "no-ocsp.e2e.test";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private Fleet fleet;
    private OcspResponder ca;
    private HttpServer upstream;
    private Api admin;
    private String agentId;
    private final List<String> services = new ArrayList<>();
    private final List<String> certificates = new ArrayList<>();
    private final List<String> rules = new ArrayList<>();

    @BeforeAll
    void start(Fleet fleet) throws Exception {
        this.fleet = fleet;
        admin = fleet.admin();
        agentId = fleet.agentId();
        ca = new OcspResponder(RESPONDER, 5);
        // refresh every 2 s (a real deployment: half the validity, at most 12 h); retries from 1 s. The ACME
        // directory (never used: the certificates are uploaded) shows through the API when the settings are in effect:
        // Config Admin restarts the module, whose REST resources answer 404 meanwhile.
        String directory = "http://127.0.0.1:" + NO_DIRECTORY + "/no-acme-directory";
        fleet.configure(
                CERTIFICATES_PID,
                Map.of(
                        "directoryUrl",
                        directory,
                        "tickSeconds",
                        "1",
                        "retryInitialSeconds",
                        "1",
                        "ocspRefreshMaxSeconds",
                        "2"));
        Processes.await("the certificates module restarted with the class's settings", WAIT, () -> {
            Api.Response account = admin.get("/api/v1/certificates/account");
            return account.status() == 200
                    && directory.equals(account.body().path("directoryUrl").asText());
        });
        upstream = Services.upstream(UPSTREAM, 16, 1, ex -> "hello");
    }

    @AfterAll
    void stop() throws Exception {
        if (fleet != null) {
            for (String id : services) {
                admin.delete("/api/v1/services/" + id);
            }
            for (String id : certificates) {
                admin.delete("/api/v1/certificates/" + id);
            }
            for (String id : rules) {
                admin.delete("/api/v1/alerts/rules/" + id);
            }
            fleet.restore(CERTIFICATES_PID);
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        if (ca != null) {
            ca.close();
        }
    }

    @Test
    void theAgentStaplesTheVerifiedResponseGoodThenRevokedAndFailuresAreReported() throws Exception {
        String revokedRule = eventRule("certificate.revoked");
        String failingRule = eventRule("certificate.ocsp.failed");

        OcspResponder.Issued issued = ca.issue(HOST, 4097, true);
        String certId = upload(issued);
        OcspResponder.Issued plain = ca.issue(PLAIN_HOST, 4098, false);
        String plainId = upload(plain);
        service("ocsp", HOST, certId);
        service("no-ocsp", PLAIN_HOST, plainId);

        long t0 = System.nanoTime();
        JsonNode good = Processes.awaitValue("the core fetched a good OCSP response", WAIT, () -> {
            JsonNode o = ocsp(certId);
            return "good".equals(o.path("status").asText()) ? o : null;
        });
        assertEquals(ca.url(), good.get("url").asText());
        assertTrue(good.get("stapled").asBoolean(), good.toString());
        assertFalse(good.get("nextUpdate").isNull(), good.toString());
        assertTrue(good.get("lastError").isNull(), good.toString());
        String staple = Processes.awaitValue(
                "nginx staples a good response for " + HOST,
                WAIT,
                () -> status(HOST).contains("Cert Status: good") ? status(HOST) : null);
        System.out.println("[ocsp-e2e] upload + service -> good response stapled: "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(staple.contains("OCSP Response Status: successful"), staple);
        assertTrue(staple.contains("Responder Id: CN = OCSP responder " + RESPONDER), staple);

        // a leaf naming no responder: nothing to staple
        JsonNode none = Processes.awaitValue("the plain certificate's OCSP state", WAIT, () -> {
            JsonNode o = ocsp(plainId);
            return "none".equals(o.path("status").asText()) ? o : null;
        });
        assertFalse(none.get("stapled").asBoolean(), none.toString());
        String noStaple = Processes.awaitValue(
                PLAIN_HOST + " served",
                WAIT,
                () -> status(PLAIN_HOST).contains("CONNECTED") ? status(PLAIN_HOST) : null);
        assertTrue(noStaple.contains("OCSP response: no response sent"), noStaple);

        // revoked at the CA: the next refresh staples "revoked" and fires certificate.revoked
        ca.revoke(4097);
        long t1 = System.nanoTime();
        JsonNode revoked = Processes.awaitValue("the core saw the revocation", WAIT, () -> {
            JsonNode o = ocsp(certId);
            return "revoked".equals(o.path("status").asText()) ? o : null;
        });
        assertFalse(revoked.get("revokedAt").isNull(), revoked.toString());
        Processes.await(
                "nginx staples the revoked response", WAIT, () -> status(HOST).contains("Cert Status: revoked"));
        System.out.println("[ocsp-e2e] revoked in index.txt -> revoked response stapled: "
                + (System.nanoTime() - t1) / 1_000_000 + " ms (refresh every 2 s)");
        JsonNode incident = Processes.awaitValue("the certificate.revoked incident", WAIT, () -> {
            JsonNode open = admin.get("/api/v1/incidents?state=open&ruleId=" + revokedRule)
                    .expect(200)
                    .body();
            return open.size() == 1 ? open.get(0) : null;
        });
        assertEquals(certId, incident.path("subject").asText(), incident.toString());

        // the responder goes away: failures are counted, reported from the third, the last response stays stapled
        ca.stop();
        JsonNode failing = Processes.awaitValue("three failed fetches", WAIT, () -> {
            JsonNode o = ocsp(certId);
            return o.path("failures").asInt() >= 3 ? o : null;
        });
        assertFalse(failing.get("lastError").isNull(), failing.toString());
        assertEquals("revoked", failing.get("status").asText(), failing.toString());
        assertTrue(failing.get("stapled").asBoolean(), failing.toString());
        Processes.await(
                "the certificate.ocsp.failed incident",
                WAIT,
                () -> admin.get("/api/v1/incidents?state=open&ruleId=" + failingRule)
                                .expect(200)
                                .body()
                                .size()
                        == 1);
        assertTrue(status(HOST).contains("Cert Status: revoked"), "the last verified response is still stapled");

        // back: fetching works again and the failure incident resolves
        ca.start();
        Processes.await(
                "the certificate.ocsp.failed incident resolved",
                WAIT,
                () -> admin.get("/api/v1/incidents?state=open&ruleId=" + failingRule)
                                .expect(200)
                                .body()
                                .size()
                        == 0);
        assertEquals(0, ocsp(certId).get("failures").asInt());
    }

    private JsonNode ocsp(String certId) {
        return admin.get("/api/v1/certificates/" + certId).expect(200).body().get("ocsp");
    }

    private String upload(OcspResponder.Issued issued) {
        String id = admin.post(
                        "/api/v1/certificates/upload",
                        Map.of("certificatePem", issued.chainPem(), "privateKeyPem", issued.keyPem()))
                .expect(201)
                .body()
                .get("id")
                .asText();
        certificates.add(id);
        return id;
    }

    private void service(String name, String host, String certId) {
        ObjectNode body = Services.unchecked(name, List.of(host), List.of(agentId), UPSTREAM);
        body.putObject("tls").put("mode", "custom").put("certificateId", certId);
        services.add(admin.post("/api/v1/services", body)
                .expect(201)
                .body()
                .get("id")
                .asText());
    }

    private String eventRule(String kind) {
        String id = admin.post(
                        "/api/v1/alerts/rules",
                        Map.of("name", "OCSP e2e " + kind, "kind", "event", "eventKind", kind, "severity", "critical"))
                .expect(201)
                .body()
                .get("id")
                .asText();
        rules.add(id);
        return id;
    }

    /** What {@code openssl s_client -status} prints for a handshake with SNI {@code host} (OCSP part included). */
    private static String status(String host) {
        try {
            Process p = new ProcessBuilder(
                            "openssl", "s_client", "-connect", "127.0.0.1:" + HTTPS, "-servername", host, "-status")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Thread.sleep(300); // polled: keep the load low
            return out;
        } catch (Exception e) {
            return e.toString();
        }
    }
}
