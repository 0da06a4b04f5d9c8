package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs a Chromium walk of {@code web/e2e} (playwright-core, /usr/bin/chromium) against a core, signed in as the
 * admin: prints its output, asserts it exits 0 with an {@code E2E-RESULT {"ok":true,…}} last line, and returns
 * that JSON. Screenshots go to {@code target/e2e/screenshots/}.
 */
final class BrowserWalk {
    private BrowserWalk() {}

    static JsonNode run(String script, CoreProcess core, Map<String, String> extraEnv) throws Exception {
        return run(script, core, "admin", CoreProcess.ADMIN_PASSWORD, extraEnv);
    }

    /** The folder the walks write their screenshots to. */
    static Path screenshots() throws IOException {
        return Files.createDirectories(Path.of("target/e2e/screenshots").toAbsolutePath());
    }

    /** {@link #run(String, CoreProcess, Map)} signed in as {@code user}; {@code extraEnv} may override any variable. */
    static JsonNode run(String script, CoreProcess core, String user, String password, Map<String, String> extraEnv)
            throws Exception {
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
        Path shots = screenshots();
        ProcessBuilder pb =
                new ProcessBuilder("node", script).directory(web.toFile()).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(Map.of(
                "FLEETGATE_URL",
                core.url(),
                "FLEETGATE_USER",
                user,
                "FLEETGATE_PASSWORD",
                password,
                "E2E_SCREENSHOTS",
                shots.toString(),
                "E2E_TIMEOUT_MS",
                "60000"));
        env.putAll(extraEnv);
        pb.environment().putAll(env);
        Process node;
        try {
            node = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node (install Node.js 18 or 20): " + e.getMessage(), e);
        }
        String out;
        try (InputStream in = node.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        out.lines().forEach(l -> System.out.println("[" + script + "] " + l));
        assertTrue(node.waitFor(10, TimeUnit.MINUTES), "the browser script did not finish");
        String result = out.lines()
                .filter(l -> l.startsWith("E2E-RESULT "))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no E2E-RESULT line: " + out));
        JsonNode json = Api.JSON.readTree(result.substring("E2E-RESULT ".length()));
        assertEquals(
                0,
                node.exitValue(),
                script + " failed at: " + json.path("failed").asText() + " — "
                        + json.path("error").asText()
                        + " (screenshots in " + shots + ", core log "
                        + core.home().resolve("data/log/karaf.log")
                        + ")");
        assertTrue(json.path("ok").asBoolean(), result);
        return json;
    }
}
