package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetgate.agents.rest.AgentKeyFilter;
import dev.fleetgate.agents.rest.AgentProtocolResource;
import dev.fleetgate.agents.rest.AgentsResource;
import dev.fleetgate.api.Authenticator;
import dev.fleetgate.api.Caller;
import dev.fleetgate.api.Roles;
import dev.fleetgate.persistence.testing.MutableClock;
import dev.fleetgate.rest.internal.JerseyApplications;

/**
 * The agent download and install script through the real REST application: never anonymous, a new host's
 * open enrolment token or an admin's JWT, the right bytes and SHA-256, shell-safe scripts.
 */
class AgentDownloadIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    @TempDir
    static Path dir;

    private static Path keystore;
    private static byte[] tarball;
    private static Path distFile;

    private final MutableClock clock = new MutableClock();
    private Core core;
    private Enrolment enrolment;
    private CoreCertificate certificate;
    private ApplicationHandler app;

    /** A self-signed certificate as the core's bin/setenv makes it, and a fake tarball. */
    @BeforeAll
    static void files() throws Exception {
        keystore = dir.resolve("tls.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "fleetgate",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "secret",
                        "-keypass",
                        "secret")
                .redirectErrorStream(true)
                .start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(
                0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        tarball = new byte[300_000];
        ThreadLocalRandom.current().nextBytes(tarball);
        distFile = dir.resolve(AgentDistribution.FILE_NAME);
        Files.write(distFile, tarball);
    }

    @BeforeEach
    void start() {
        core = new Core(db.dataSource(), Settings.defaults(), clock);
        certificate = CoreCertificate.of(Map.of(
                "FLEETGATE_TLS_KEYSTORE",
                keystore.toString(),
                "FLEETGATE_TLS_KEYSTORE_PASSWORD",
                "secret",
                "FLEETGATE_HTTPS_PORT",
                "8443"));
        enrolment = new Enrolment(db.dataSource(), core.registry, core.desired, core.signer, certificate);
        app = app(AgentDistribution.at(distFile));
    }

    private ApplicationHandler app(AgentDistribution distribution) {
        AgentsResource resource = new AgentsResource(
                core.registry,
                enrolment,
                core.desired,
                core.tasks,
                core.bundles,
                new ContainerInventory(db.dataSource(), clock),
                distribution,
                certificate);
        Authenticator jwt = token -> switch (token) {
            case "admin-jwt" -> Optional.of(new Caller("ada", Set.of(Roles.ADMIN)));
            case "viewer-jwt" -> Optional.of(new Caller("vic", Set.of(Roles.VIEWER)));
            default -> Optional.empty();
        };
        resource.setAuthenticator(jwt);
        AgentKeyFilter keys = new AgentKeyFilter(core.registry);
        AgentProtocolResource protocol = new AgentProtocolResource(enrolment, core.sync, core.bundles, keys);
        return new ApplicationHandler(JerseyApplications.create(List.of(resource, protocol, keys), () -> jwt));
    }

    @AfterEach
    void stop() {
        core.close();
    }

    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Answer get(String path, Map<String, String> headers) throws Exception {
        return get(app, path, headers);
    }

    private static Answer get(ApplicationHandler app, String path, Map<String, String> headers) throws Exception {
        return call(app, "GET", path, headers, null);
    }

    private static Answer call(
            ApplicationHandler app, String method, String path, Map<String, String> headers, String json)
            throws Exception {
        ContainerRequest req = new ContainerRequest(
                URI.create("http://core.example:8080/api/v1/"),
                URI.create("http://core.example:8080/api/v1/" + path),
                method,
                null,
                new MapPropertiesDelegate(),
                null);
        req.header("Host", "core.example:8080");
        headers.forEach(req::header);
        if (json != null) {
            req.header("Content-Type", "application/json");
            req.setEntityStream(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerResponse r = app.apply(req, out).get();
        Map<String, String> h = new java.util.HashMap<>();
        r.getStringHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        return new Answer(r.getStatus(), h, out.toByteArray());
    }

    /**
     * The agent protocol and the endpoints people call share {@code agents}: an agent enrols and syncs with its key
     * (a wrong key is refused), an admin reads it and its tasks, and a user's JWT is no agent key.
     */
    @Test
    void protocolAndUserEndpointsShareTheAgentsPath() throws Exception {
        Enrolment.Token t = enrolment.createToken("shared", 10, "ada");
        Answer enrolled = call(
                app,
                "POST",
                "agents/enroll",
                Map.of(),
                "{\"token\":\"" + t.token() + "\",\"hostname\":\"shared-1\",\"role\":\"edge\"}");
        assertEquals(201, enrolled.status(), enrolled.text());
        com.fasterxml.jackson.databind.JsonNode e = Json.MAPPER.readTree(enrolled.body());
        String id = e.get("agentId").asText();
        String key = e.get("apiKey").asText();

        Answer synced = call(app, "POST", "agents/" + id + "/sync", Map.of("Authorization", "Bearer " + key), "{}");
        assertEquals(200, synced.status(), synced.text());
        for (String wrong : List.of("Bearer fga_wrong", "Bearer admin-jwt")) {
            assertEquals(
                    401,
                    call(app, "POST", "agents/" + id + "/sync", Map.of("Authorization", wrong), "{}")
                            .status(),
                    wrong);
        }

        Answer agent = get("agents/" + id, Map.of("Authorization", "Bearer admin-jwt"));
        assertEquals(200, agent.status(), agent.text());
        assertEquals("edge", Json.MAPPER.readTree(agent.body()).get("role").asText());
        assertEquals(
                200,
                get("agents/" + id + "/tasks", Map.of("Authorization", "Bearer admin-jwt"))
                        .status());
        assertEquals(
                401,
                get("agents/" + id + "/bundles/" + "0".repeat(64), Map.of("Authorization", "Bearer admin-jwt"))
                        .status(),
                "a bundle download takes the agent's key, not a user's token");
    }

    private static final List<String> PATHS =
            List.of("agents/distribution", "agents/distribution/info", "agents/install.sh");

    @Test
    void neverAnonymous() throws Exception {
        for (String path : PATHS) {
            Answer a = get(path, Map.of());
            assertEquals(401, a.status(), path);
            assertTrue(a.headers().get("content-type").startsWith("application/problem+json"), path);
            assertEquals(
                    401, get(path, Map.of("Authorization", "Bearer forged")).status(), path);
            assertEquals(
                    403, get(path, Map.of("Authorization", "Bearer viewer-jwt")).status(), path + ": viewers may not");
            assertEquals(400, get(path + "?token=not%20a%20token", Map.of()).status(), path);
            assertEquals(
                    400,
                    get(path, Map.of(AgentsResource.TOKEN_HEADER, "x';id;'")).status(),
                    path);
        }
    }

    @Test
    void usedRevokedOrExpiredTokensAre403() throws Exception {
        Enrolment.Token used = enrolment.createToken(null, 60, "admin");
        enrolment.enroll(new Enrolment.Request(used.token(), "dl-used", "h.lan", null, "1"));
        Enrolment.Token revoked = enrolment.createToken(null, 60, "admin");
        enrolment.revoke(enrolment.openTokens().stream()
                .filter(t -> t.id().equals(Secrets.sha256Hex(revoked.token()).substring(0, 16)))
                .findFirst()
                .orElseThrow()
                .id());
        Enrolment.Token expired = enrolment.createToken(null, 1, "admin");
        Enrolment.Token unknown = new Enrolment.Token(Secrets.newEnrollmentToken(), null, null, 0, null);
        clock.advance(Duration.ofMinutes(2));
        for (Enrolment.Token t : List.of(used, revoked, expired, unknown)) {
            for (String path : PATHS) {
                assertEquals(
                        403,
                        get(path, Map.of(AgentsResource.TOKEN_HEADER, t.token()))
                                .status(),
                        path);
                assertEquals(403, get(path + "?token=" + t.token(), Map.of()).status(), path);
            }
        }
    }

    @Test
    void anOpenTokenDownloadsTheRightBytesAndStaysUsable() throws Exception {
        Enrolment.Token t = enrolment.createToken("dl-web", 60, "admin");
        String sha = Secrets.sha256Hex(tarball);
        for (Map<String, String> auth :
                List.of(Map.of(AgentsResource.TOKEN_HEADER, t.token()), Map.of("Authorization", "Bearer admin-jwt"))) {
            Answer a = get("agents/distribution", auth);
            assertEquals(200, a.status(), auth.toString());
            assertArrayEquals(tarball, a.body());
            assertEquals(String.valueOf(tarball.length), a.headers().get("content-length"));
            assertEquals(sha, a.headers().get("x-fleetgate-sha256"));
            assertEquals("\"" + sha + "\"", a.headers().get("etag"));
            assertEquals("application/gzip", a.headers().get("content-type"));
            assertEquals(
                    304,
                    get("agents/distribution", merged(auth, "If-None-Match", "\"" + sha + "\""))
                            .status());
        }
        assertArrayEquals(
                tarball, get("agents/distribution?token=" + t.token(), Map.of()).body());
        Answer info = get("agents/distribution/info?token=" + t.token(), Map.of());
        assertEquals(200, info.status());
        assertTrue(info.text().contains("\"sha256\":\"" + sha + "\""), info.text());
        assertTrue(info.text().contains("\"size\":" + tarball.length), info.text());

        // downloading does not use the token up: the host enrols with it afterwards
        String agentId = enrolment
                .enroll(new Enrolment.Request(t.token(), null, "h.lan", null, "1"))
                .agentId();
        assertEquals("dl-web", core.registry.get(agentId).orElseThrow().name(), "named by the token");
        assertEquals(
                403,
                get("agents/distribution", Map.of(AgentsResource.TOKEN_HEADER, t.token()))
                        .status());
    }

    private static Map<String, String> merged(Map<String, String> a, String k, String v) {
        Map<String, String> m = new java.util.HashMap<>(a);
        m.put(k, v);
        return m;
    }

    @Test
    void theInstallScriptEmbedsTheTokenPinsAndChecksum(@TempDir Path tmp) throws Exception {
        Enrolment.Token t = enrolment.createToken("dl-script", 60, "admin");
        Answer a = get("agents/install.sh?token=" + t.token(), Map.of());
        assertEquals(200, a.status(), a.text());
        assertTrue(a.headers().get("content-type").startsWith("text/x-shellscript"));
        assertEquals("no-store", a.headers().get("cache-control"));
        String script = a.text();
        assertTrue(
                script.contains("\ncore='https://core.example:8443'\n"), "the Host it was fetched by, the HTTPS port");
        assertTrue(script.contains("\npin='" + certificate.publicKeyPin().orElseThrow() + "'\n"));
        assertTrue(script.contains("\nfingerprint='" + certificate.fingerprint().orElseThrow() + "'\n"));
        assertTrue(script.contains("\nsha256='" + Secrets.sha256Hex(tarball) + "'\n"));
        assertTrue(script.contains("\ntoken='" + t.token() + "'\n"));
        assertTrue(script.contains("\ntoken_name='dl-script'\n"));
        Path file = tmp.resolve("install.sh");
        Files.writeString(file, script);
        Process sh = new ProcessBuilder("sh", "-n", file.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(sh.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, sh.exitValue());

        // the one-liner of the token answer fetches exactly this
        String command = t.installCommand("core.example");
        assertEquals(
                "curl -fsSk --pinnedpubkey '" + certificate.publicKeyPin().orElseThrow()
                        + "' 'https://core.example:8443/api/v1/agents/install.sh?token=" + t.token() + "' | sudo sh",
                command);

        // an admin's script has no token: it takes FLEETGATE_AGENT_TOKEN when it runs
        Answer admin = get("agents/install.sh", Map.of("Authorization", "Bearer admin-jwt"));
        assertEquals(200, admin.status());
        assertTrue(admin.text().contains("\ntoken=''\n"));
        assertFalse(admin.text().contains(t.token()));
    }

    @Test
    void oddHostHeadersGetNoScript() throws Exception {
        Enrolment.Token t = enrolment.createToken(null, 60, "admin");
        for (String host : List.of(
                "core.example';id;'", "$(id)", "`id`", "a b", "core.example:80:80", "x|y", "\"q\"", "a".repeat(300))) {
            ContainerRequest req = new ContainerRequest(
                    URI.create("http://core.example:8080/api/v1/"),
                    URI.create("http://core.example:8080/api/v1/agents/install.sh?token=" + t.token()),
                    "GET",
                    null,
                    new MapPropertiesDelegate(),
                    null);
            req.header("Host", host);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ContainerResponse r = app.apply(req, out).get();
            assertEquals(400, r.getStatus(), host);
            assertFalse(out.toString(StandardCharsets.UTF_8).contains("#!/bin/sh"), host);
        }
    }

    @Test
    void aCoreWithoutTheDistributionSays404() throws Exception {
        ApplicationHandler without = app(AgentDistribution.at(dir.resolve("missing.tar.gz")));
        Enrolment.Token t = enrolment.createToken(null, 60, "admin");
        for (String path : PATHS) {
            Answer a = get(without, path + "?token=" + t.token(), Map.of());
            assertEquals(404, a.status(), path);
            assertNotNull(a.headers().get("content-type"));
        }
        assertEquals(401, get(without, "agents/distribution", Map.of()).status(), "still never anonymous");
    }
}
