package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * The firewall screen's settings form in headless Chromium ({@code web/e2e/firewall.mjs}) against a core of its
 * own: a threshold below its minimum shows the core's error on that input, a valid one and an allowlist entry are
 * saved, kept after a reload and answered by the REST API. Ports 22750–22754 (the core).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallWebE2EIT {
    private static final int CORE_PORTS = 22750;

    private TestDatabase db;
    private CoreProcess core;

    @BeforeAll
    void start() throws Exception {
        Path work = Files.createDirectories(Path.of("target/e2e").toAbsolutePath())
                .resolve("firewall-web-" + System.currentTimeMillis());
        Files.createDirectories(work);
        db = TestDatabase.create();
        core = CoreProcess.install(work, CORE_PORTS, db, Map.of());
        core.start();
    }

    @AfterAll
    void stop() {
        Processes.stopAll(null, core, db);
    }

    @Test
    void aThresholdEditedInTheBrowserIsKept() throws Exception {
        JsonNode result = BrowserWalk.run("e2e/firewall.mjs", core, Map.of());
        assertEquals(4, result.path("checked").size(), "steps checked: " + result.path("checked"));
        JsonNode settings =
                core.admin().get("/api/v1/firewall/settings").expect(200).body();
        assertEquals(
                2400, settings.path("detectors").path("flood").path("threshold").asInt());
        assertEquals(1, settings.path("allow").size(), settings.toString());
        assertEquals("2001:db8::/32", settings.path("allow").get(0).asText());
        assertTrue(Files.size(
                        Path.of("target/e2e/screenshots/firewall-settings.png").toAbsolutePath())
                > 5_000);
    }
}
