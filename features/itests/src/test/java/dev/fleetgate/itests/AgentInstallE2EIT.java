package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Issue 18, enrolment: the one-line install command the token answer (and the web admin) shows, run as
 * printed (without sudo, its prefix and state in a temp directory) against a real core over HTTPS: it
 * downloads the agent distribution the core ships, checks its SHA-256, enrols with the token and starts the
 * agent, which comes ONLINE. The same command with another key pinned installs nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentInstallE2EIT {
    /** core 22200–22204, the installed agent's nginx 22210–22212 */
    private static final int PORTS = 22200;

    private static final int PROXY = 22210;

    private Path work;
    private TestDatabase db;
    private CoreProcess core;
    private Api admin;
    private Path state;

    @BeforeAll
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target/e2e").toAbsolutePath())
                .resolve("install-" + System.currentTimeMillis());
        Files.createDirectories(work);
        db = TestDatabase.create();
        core = CoreProcess.install(work, PORTS, db, Map.of("syncIntervalSeconds", "5"));
        core.start();
        admin = core.admin();
        state = work.resolve("state");
    }

    @AfterAll
    void stop() throws IOException {
        Path pid = state == null ? null : state.resolve("agent.pid");
        if (pid != null && Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(h -> {
                h.destroy();
                h.onExit()
                        .orTimeout(20, TimeUnit.SECONDS)
                        .exceptionally(e -> {
                            h.destroyForcibly();
                            return h;
                        })
                        .join();
            });
            AgentProcess.stopNginx(state);
        }
        Processes.stopAll(null, core, db);
    }

    record Run(int exit, String output) {}

    /** Runs {@code command} with sh as a user would paste it, with the installer's environment. */
    private Run run(String command, Path prefix, Path stateDir) throws Exception {
        Map<String, String> env = new HashMap<>(AgentProcess.proxyEnvironment(PROXY, PROXY + 1, PROXY + 2));
        env.put("FLEETGATE_AGENT_PREFIX", prefix.toString());
        env.put("FLEETGATE_AGENT_STATE_DIR", stateDir.toString());
        env.put("FLEETGATE_AGENT_SERVICE", "background");
        // the agent runs as the user running the test (root in CI: named explicitly, as the script requires)
        env.put("FLEETGATE_AGENT_USER", System.getProperty("user.name"));
        Path out = work.resolve("install-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the install command did not finish in 180 s: " + out);
        return new Run(p.exitValue(), Files.readString(out));
    }

    @Test
    void theOneLineCommandInstallsEnrolsAndStartsTheAgent() throws Exception {
        JsonNode token = admin.post("/api/v1/agents/enrollment-tokens", Map.of("name", "dl-e2e"))
                .expect(201)
                .body();
        String printed = token.get("installCommand").asText();
        String prefix = "curl -fsSk --pinnedpubkey 'sha256//";
        assertTrue(printed.startsWith(prefix), printed);
        assertTrue(
                printed.contains("'https://127.0.0.1:" + (PORTS + 4) + "/api/v1/agents/install.sh?token="
                        + token.get("token").asText() + "'"),
                printed);
        assertTrue(printed.endsWith(" | sudo sh"), printed);
        String command = printed.substring(0, printed.length() - " | sudo sh".length()) + " | sh";

        // another key pinned: curl refuses the core before sending the token, nothing is installed
        String otherPin = "sha256//" + "A".repeat(43) + "=";
        String wrong = command.replaceFirst("sha256//[A-Za-z0-9+/]{43}=", otherPin);
        assertNotEquals(command, wrong);
        Path wrongPrefix = work.resolve("wrong-opt");
        Run refused = run(wrong, wrongPrefix, work.resolve("wrong-state"));
        assertTrue(refused.output().contains("pinned public key"), refused.output());
        assertFalse(Files.exists(wrongPrefix), "nothing installed");

        Path opt = work.resolve("opt/fleetgate-agent");
        long t0 = System.nanoTime();
        Run installed = run(command, opt, state);
        long enrolled = System.nanoTime();
        assertEquals(0, installed.exit(), installed.output());
        assertTrue(installed.output().contains("Enrolled"), installed.output());
        String agentId = AgentProcess.awaitOnline(admin, "dl-e2e", Duration.ofSeconds(120), state.resolve("agent.log"));
        // figures, not assertions
        System.out.printf(
                "[install] command to enrolled: %d ms; to ONLINE: %d ms%n",
                (enrolled - t0) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
        JsonNode agent = admin.get("/api/v1/agents/" + agentId).expect(200).body();
        assertEquals("dl-e2e", agent.get("name").asText(), "named by the token");

        // what it left: the distribution the core ships, the configuration, the identity (0600), no token on disk
        assertTrue(Files.isExecutable(opt.resolve("bin/fleetgate-agent")));
        String conf = Files.readString(opt.resolve("etc/fleetgate-agent.conf"));
        assertTrue(conf.contains("FLEETGATE_AGENT_CORE='https://127.0.0.1:" + (PORTS + 4) + "'"), conf);
        assertTrue(conf.contains("FLEETGATE_AGENT_CORE_FINGERPRINT='" + core.fingerprint() + "'"), conf);
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("agent.json"))));
        String stateMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(state));
        assertFalse(
                stateMode.substring(3).contains("r") || stateMode.substring(3).contains("w"), stateMode);
        String secret = token.get("token").asText();
        for (Path f : new Path[] {opt.resolve("etc/fleetgate-agent.conf"), state.resolve("agent.json")}) {
            assertFalse(Files.readString(f, StandardCharsets.UTF_8).contains(secret), f + " holds the token");
        }
        assertFalse(Files.exists(opt.resolve("etc/enrol.env")));

        // the token is used up: the script and the download now answer 403, and the command installs nothing
        Api anonymous = core.api();
        assertEquals(
                403, anonymous.get("/api/v1/agents/install.sh?token=" + secret).status());
        assertEquals(
                403,
                anonymous.get("/api/v1/agents/distribution?token=" + secret).status());
        assertEquals(401, anonymous.get("/api/v1/agents/distribution").status());
        Path again = work.resolve("again-opt");
        Run reused = run(command, again, work.resolve("again-state"));
        assertTrue(reused.output().contains("403"), reused.output());
        assertFalse(Files.exists(again), "nothing installed with a used token");
    }
}
