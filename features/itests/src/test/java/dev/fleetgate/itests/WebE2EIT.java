package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import com.sun.net.httpserver.HttpServer;

/**
 * The web admin driven in headless Chromium: the core and agent distributions as real
 * processes, then {@code node web/e2e/run.mjs} (playwright-core, /usr/bin/chromium) logs in,
 * sees the agent ONLINE, creates a service through a field error, follows it to APPLIED,
 * watches new log lines arrive and a host chart fill, sees a service whose only target is
 * down marked DOWN, not-found pages, a user created in the Users screen sign in, and the
 * activity log record the changes, creates an alert channel (sending a test message to the
 * upstream) and an alert rule through the forms, each through a field error, and saves a screenshot of every
 * screen under {@code target/e2e/screenshots/}. Runs on the shared {@link Fleet} (the scripts name what they
 * create uniquely and delete it) as its own admin user; port 20390 (the services' upstream), nothing listens on
 * 20395.
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebE2EIT {
    private static final int TARGET_PORT = 20390; // the service's upstream
    private static final String PASSWORD = "web-e2e-admin-password";

    private Fleet fleet;
    private HttpServer upstream;
    /** The class's own admin: the scripts sign out, which revokes every token of the user (the fleet's too). */
    private String user;

    @BeforeAll
    void start(Fleet fleet) throws Exception {
        this.fleet = fleet;
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", TARGET_PORT), 16);
        upstream.createContext("/", exchange -> {
            byte[] body = "hello from the e2e upstream\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        user = fleet.unique("web-e2e-admin");
        fleet.admin()
                .post("/api/v1/users", Map.of("username", user, "password", PASSWORD, "roles", List.of("admin")))
                .expect(201);
    }

    @AfterAll
    void stop() {
        if (upstream != null) {
            upstream.stop(0);
        }
        if (user != null) {
            fleet.admin().delete("/api/v1/users/" + user).expect(204);
        }
    }

    @Test
    void theAdminWorksInABrowser() throws Exception {
        Path web = Path.of(System.getProperty("fleetgate.root", "../.."))
                .toAbsolutePath()
                .normalize()
                .resolve("web");
        assertTrue(
                Files.isDirectory(web.resolve("node_modules/playwright-core")),
                "web/node_modules is missing: build the web module first (mvn install -pl web runs npm ci)");
        assertTrue(
                Files.isExecutable(Path.of("/usr/bin/chromium")),
                "/usr/bin/chromium is missing (apt-get install chromium)");
        Path shots = Path.of("target/e2e/screenshots").toAbsolutePath();
        Files.createDirectories(shots);

        JsonNode json = walk("e2e/run.mjs", web, shots);
        assertTrue(json.path("checked").size() >= 12, "steps checked: " + json.path("checked"));
        for (String screen : List.of(
                "login",
                "overview",
                "hosts",
                "host",
                "service-invalid",
                "service",
                "logs",
                "dns",
                "modules",
                "enrol",
                "overview-dark",
                "services-health",
                "service-down",
                "service-not-found",
                "users",
                "activity")) {
            assertTrue(Files.size(shots.resolve(screen + ".png")) > 5_000, "screenshot " + screen);
        }
        System.out.println("web e2e notes: " + json.path("notes"));
    }

    /**
     * The web round (issue 18) in the browser: focus on the password after a failed sign-in,
     * the session in a new tab, every service-form error at once and each cleared when fixed,
     * the save message, the unsaved-changes question, access-log columns with the service name
     * in the merged service view, the host name in a chart legend and values on hover,
     * enrolment tokens listed and revoked, a DNS zone added, edited
     * and deleted, and no sideways scroll at 390 px on every screen (screenshots
     * {@code form-errors}, {@code logs-columns}, {@code enrol-open-tokens}, {@code dns-zone},
     * {@code phone-*}). Nothing listens on port 20699 (the zone's DNS server).
     */
    @Test
    void webRoundInABrowser() throws Exception {
        Path web = Path.of(System.getProperty("fleetgate.root", "../.."))
                .toAbsolutePath()
                .normalize()
                .resolve("web");
        Path shots = Files.createDirectories(Path.of("target/e2e/screenshots").toAbsolutePath());
        JsonNode json = walk("e2e/round.mjs", web, shots);
        assertTrue(json.path("checked").size() >= 9, "steps checked: " + json.path("checked"));
        for (String screen : List.of(
                "form-errors",
                "logs-columns",
                "chart-hover",
                "enrol-open-tokens",
                "dns-zone",
                "phone-overview",
                "phone-service",
                "phone-logs",
                "phone-menu")) {
            assertTrue(Files.size(shots.resolve(screen + ".png")) > 5_000, "screenshot " + screen);
        }
        System.out.println("web round notes: " + json.path("notes"));
    }

    /**
     * Service revision history (issue 18) in the browser: the History of a service changed to a dead
     * target lists both revisions, shows the port change, and "Roll back to this" makes a third revision
     * that the agent applies (nginx answers 200 again). Screenshot {@code service-history}. Nothing
     * listens on port 20395 (the dead target).
     */
    @Test
    void serviceHistoryInABrowser() throws Exception {
        Path web = Path.of(System.getProperty("fleetgate.root", "../.."))
                .toAbsolutePath()
                .normalize()
                .resolve("web");
        Path shots = Files.createDirectories(Path.of("target/e2e/screenshots").toAbsolutePath());
        JsonNode json = walk("e2e/history.mjs", web, shots);
        assertEquals(5, json.path("checked").size(), "steps checked: " + json.path("checked"));
        assertTrue(Files.size(shots.resolve("service-history.png")) > 5_000, "screenshot service-history");
        System.out.println("service history notes: " + json.path("notes"));
    }

    /** Runs a browser script of web/e2e against this core and agent; its E2E-RESULT, asserted ok. */
    private JsonNode walk(String script, Path web, Path shots) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("node", script).directory(web.toFile()).redirectErrorStream(true);
        pb.environment()
                .putAll(Map.of(
                        "FLEETGATE_URL",
                        fleet.core().url(),
                        "FLEETGATE_USER",
                        user,
                        "FLEETGATE_PASSWORD",
                        PASSWORD,
                        "FLEETGATE_AGENT",
                        Fleet.AGENT,
                        "E2E_TARGET_PORT",
                        String.valueOf(TARGET_PORT),
                        "E2E_PROXY_PORT",
                        String.valueOf(Fleet.PROXY_HTTP),
                        "E2E_SCREENSHOTS",
                        shots.toString(),
                        "E2E_TIMEOUT_MS",
                        "60000"));
        Process node;
        try {
            node = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node (install Node.js 18 or 20): " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>();
        try (InputStream out = node.getInputStream()) {
            for (String line : new String(out.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                System.out.println("[web-e2e] " + line);
                lines.add(line);
            }
        }
        assertTrue(node.waitFor(10, TimeUnit.MINUTES), "the browser script did not finish");
        String result = lines.stream()
                .filter(l -> l.startsWith("E2E-RESULT "))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no E2E-RESULT line: " + String.join("\n", lines)));
        JsonNode json = Api.JSON.readTree(result.substring("E2E-RESULT ".length()));
        assertEquals(
                0,
                node.exitValue(),
                script + " failed at: " + json.path("failed").asText() + " — "
                        + json.path("error").asText() + " (screenshots in " + shots + ", core log "
                        + fleet.core().home().resolve("data/log/karaf.log") + ", agent log "
                        + fleet.agent().log()
                        + ")");
        assertTrue(json.path("ok").asBoolean(), result);
        return json;
    }
}
