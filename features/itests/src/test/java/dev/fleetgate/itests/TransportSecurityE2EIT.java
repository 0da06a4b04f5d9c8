package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Transport security end to end (security review, finding 7): the core serves HTTPS with the
 * certificate it made on its first start and plain HTTP on loopback only; the enrolment-token answer
 * names the certificate's SHA-256; an agent pinned to it enrols over HTTPS and installs signed
 * bundles, an agent with another pin never talks to the core, and an agent refuses a bundle whose
 * signature does not verify with the key it received at enrolment.
 * Runs on the shared {@link Fleet}'s core (HTTPS on {@code Fleet.CORE_PORTS + 4}) with agents of its own, removed
 * afterwards with the bundles it uploaded and the enrolment tokens no agent used. Agents' nginx: 20500–20502, 20510–20512.
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransportSecurityE2EIT {
    private static final int PORTS = Fleet.CORE_PORTS;
    private static final int AGENT_PORTS = 20500;
    /** The name of the enrolment tokens of this class. */
    private static final String TOKENS = "transport-security-e2e";

    private Path work;
    private CoreProcess core;
    private Api admin;
    private AgentProcess agent;
    private String agentId;
    private final List<String> bundles = new ArrayList<>();

    @BeforeAll
    void start(Fleet fleet) throws Exception {
        work = fleet.workDir("transport-security");
        core = fleet.core();
        admin = fleet.admin();
    }

    @AfterAll
    void stop() {
        if (agent != null) {
            agent.close();
            agent.stopNginx();
        }
        if (admin != null) {
            if (agentId != null) {
                admin.delete("/api/v1/agents/" + agentId);
            }
            for (String id : bundles) {
                admin.delete("/api/v1/bundles/" + id);
            }
            // the tokens no agent used stay open: revoke them
            for (JsonNode token :
                    admin.get("/api/v1/agents/enrollment-tokens").expect(200).body()) {
                if (TOKENS.equals(token.path("name").asText())) {
                    admin.delete("/api/v1/agents/enrollment-tokens/"
                            + token.get("id").asText());
                }
            }
        }
    }

    /** Records the certificate the server presents, trusting anything: the test compares it itself. */
    private static final class Recorder extends X509ExtendedTrustManager {
        volatile X509Certificate seen;

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen = chain[0];
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            seen = chain[0];
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            seen = chain[0];
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Test
    @Order(1)
    void httpsServesTheApiWithTheCertificateNamedInTheTokenAnswer() throws Exception {
        JsonNode token = admin.post("/api/v1/agents/enrollment-tokens", Map.of("name", TOKENS))
                .expect(201)
                .body();
        String pin = core.fingerprint();
        assertEquals(pin, token.get("coreFingerprint").asText());
        assertTrue(pin.matches("sha256:[0-9a-f]{64}"), pin);
        String command = token.get("command").asText();
        assertTrue(
                command.startsWith("fleetgate-agent --core https://127.0.0.1:" + (PORTS + 4) + " --token "
                        + token.get("token").asText()),
                command);
        assertTrue(command.endsWith("--core-fingerprint " + pin), command);

        Recorder recorder = new Recorder();
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {recorder}, null);
        HttpClient https = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> health = https.send(
                HttpRequest.newBuilder(URI.create(core.httpsUrl() + "/api/v1/health"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"UP\""), health.body());
        assertEquals(
                pin,
                "sha256:"
                        + HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(recorder.seen.getEncoded())),
                "the HTTPS connector serves the certificate the token answer names");

        // a login over HTTPS: passwords and tokens no longer need cleartext
        HttpResponse<String> login = https.send(
                HttpRequest.newBuilder(URI.create(core.httpsUrl() + "/api/v1/auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"admin\",\"password\":\"" + CoreProcess.ADMIN_PASSWORD + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());

        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", PORTS + 4)) {
            socket.startHandshake();
            String protocol = socket.getSession().getProtocol();
            assertTrue(protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2"), protocol);
        }
    }

    @Test
    @Order(2)
    void plainHttpListensOnLoopbackOnly() throws Exception {
        Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + PORTS)
                .redirectErrorStream(true)
                .start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, ss.waitFor(), out);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty(), "nothing listens on " + PORTS);
        for (String line : lines) {
            String local = line.trim().split("\\s+")[3];
            assertTrue(
                    local.startsWith("127.0.0.1:")
                            || local.startsWith("[::1]:")
                            || local.startsWith("[::ffff:127.0.0.1]:"),
                    "plain HTTP listens beyond loopback: " + line);
        }
    }

    @Test
    @Order(3)
    void anAgentWithAnotherPinNeverTalksToTheCore() throws Exception {
        String token = token();
        try (AgentProcess impostor = new AgentProcess(work.resolve("wrong-pin"))) {
            impostor.proxyPorts(AGENT_PORTS, AGENT_PORTS + 1, AGENT_PORTS + 2);
            impostor.start(
                    core.enrolmentUrl(),
                    "wrong-pin",
                    token,
                    Map.of("FLEETGATE_AGENT_CORE_FINGERPRINT", "sha256:" + "00".repeat(32)));
            Processes.await(
                    "the agent refusing the core's certificate (log " + impostor.log() + ")",
                    Duration.ofSeconds(60),
                    () -> {
                        try {
                            return Files.readString(impostor.log()).contains("does not match the pinned fingerprint");
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
            for (JsonNode a : admin.get("/api/v1/agents").expect(200).body()) {
                assertFalse("wrong-pin".equals(a.path("name").asText()), "enrolled despite a wrong pin");
            }
        }
        // cleartext to a core that is not on loopback is refused before any connection
        try (AgentProcess cleartext = new AgentProcess(work.resolve("cleartext"))) {
            cleartext.start("http://core.example:" + PORTS, "cleartext", token);
            Processes.await(
                    "the agent refusing plain http to another host",
                    Duration.ofSeconds(30),
                    () -> !cleartext.isAlive());
            assertTrue(
                    Files.readString(cleartext.log()).contains("plain http:// only for a core on this machine"),
                    Files.readString(cleartext.log()));
        }
    }

    @Test
    @Order(4)
    void aPinnedAgentEnrolsOverHttpsAndInstallsSignedBundles() throws Exception {
        String token = token();
        agent = new AgentProcess(work).proxyPorts(AGENT_PORTS + 10, AGENT_PORTS + 11, AGENT_PORTS + 12);
        agent.start(core.enrolmentUrl(), "tls-agent", token, core.agentEnvironment());
        agentId = agent.awaitOnline(admin, "tls-agent", Duration.ofSeconds(90));
        JsonNode identity = new ObjectMapper()
                .readTree(work.resolve("agent-state/agent.json").toFile());
        assertEquals(core.fingerprint(), identity.get("coreFingerprint").asText(), "pin stored at enrolment");
        assertTrue(identity.get("bundleSigningKey").asText().length() > 40, "signing key stored at enrolment");

        deployAndAwait("sample-plugin.jar", "dev.fleetgate.agent.sample", b -> "ACTIVE"
                .equals(b.path("state").asText()));
    }

    @Test
    @Order(5)
    void theAgentRefusesABundleNotSignedWithItsKey() throws Exception {
        // The agent now trusts another signing key: the core's genuine signatures must no longer verify.
        agent.close();
        Path file = work.resolve("agent-state/agent.json");
        ObjectNode identity = (ObjectNode) new ObjectMapper().readTree(file.toFile());
        java.security.KeyPair other =
                java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        identity.put(
                "bundleSigningKey",
                java.util.Base64.getEncoder().encodeToString(other.getPublic().getEncoded()));
        Files.writeString(file, identity.toString());
        agent.start(core.enrolmentUrl(), "tls-agent", null, core.agentEnvironment());
        agent.awaitOnline(admin, "tls-agent", Duration.ofSeconds(90));

        // The probe bundle of the distribution runs too; this is the remote copy (managed), refused.
        JsonNode refused = deployAndAwait("probe.jar", "dev.fleetgate.agent.probe", b -> b.path("error")
                .asText("")
                .contains("invalid signature"));
        assertFalse("ACTIVE".equals(refused.path("state").asText()), refused.toString());
    }

    /** A new enrolment token, revoked after the class. */
    private String token() {
        return admin.post("/api/v1/agents/enrollment-tokens", Map.of("name", TOKENS))
                .expect(201)
                .body()
                .get("token")
                .asText();
    }

    /** Uploads and deploys a jar to the agent and waits until its entry in the agent's bundle report matches. */
    private JsonNode deployAndAwait(String jar, String symbolicName, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        Path file = Path.of(System.getProperty("fleetgate.dist", "target/dist")).resolve(jar);
        JsonNode bundle = admin.upload("/api/v1/bundles", file).expect(201).body();
        bundles.add(bundle.get("id").asText());
        admin.post(
                        "/api/v1/bundles/" + bundle.get("id").asText() + "/deployments",
                        Map.of("agentIds", List.of(agentId)))
                .expect(200);
        JsonNode[] last = new JsonNode[1];
        Processes.await(symbolicName + " on the agent", Duration.ofSeconds(60), () -> {
            for (JsonNode b :
                    admin.get("/api/v1/agents/" + agentId + "/bundles").body()) {
                if (symbolicName.equals(b.path("symbolicName").asText())
                        && b.path("managed").asBoolean()) {
                    last[0] = b;
                    return done.test(b);
                }
            }
            return false;
        });
        return last[0];
    }
}
