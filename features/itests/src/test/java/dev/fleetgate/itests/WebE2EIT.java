package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
        JsonNode json = walk("e2e/run.mjs");
        assertTrue(json.path("checked").size() >= 12, "steps checked: " + json.path("checked"));
        assertScreenshots(List.of(
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
                "activity"));
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
        JsonNode json = walk("e2e/round.mjs");
        assertTrue(json.path("checked").size() >= 9, "steps checked: " + json.path("checked"));
        assertScreenshots(List.of(
                "form-errors",
                "logs-columns",
                "chart-hover",
                "enrol-open-tokens",
                "dns-zone",
                "phone-overview",
                "phone-service",
                "phone-logs",
                "phone-menu"));
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
        JsonNode json = walk("e2e/history.mjs");
        assertEquals(5, json.path("checked").size(), "steps checked: " + json.path("checked"));
        assertScreenshots(List.of("service-history"));
        System.out.println("service history notes: " + json.path("notes"));
    }

    /** Every one of {@code screens} was saved as a screenshot of more than 5 kB. */
    private static void assertScreenshots(List<String> screens) throws IOException {
        Path shots = BrowserWalk.screenshots();
        for (String screen : screens) {
            assertTrue(Files.size(shots.resolve(screen + ".png")) > 5_000, "screenshot " + screen);
        }
    }

    /** Runs a browser script of web/e2e against this core and agent as the class's admin; its E2E-RESULT, asserted ok. */
    private JsonNode walk(String script) throws Exception {
        return BrowserWalk.run(
                script,
                fleet.core(),
                user,
                PASSWORD,
                Map.of(
                        "FLEETGATE_AGENT",
                        Fleet.AGENT,
                        "E2E_TARGET_PORT",
                        String.valueOf(TARGET_PORT),
                        "E2E_PROXY_PORT",
                        String.valueOf(Fleet.PROXY_HTTP)));
    }
}
