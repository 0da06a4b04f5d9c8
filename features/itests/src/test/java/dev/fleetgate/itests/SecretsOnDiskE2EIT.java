package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Secrets on disk (security review, finding 1): once the core and an agent run, no file under the
 * core's Karaf home or the agent's state directory that another local user can read holds a secret
 * (JWT key, master key, database password, agent API key, or a known secret file). Karaf's
 * ConfigAdmin keeps its own copies of the configuration under {@code data/}: they used to be 0644.
 * Runs the same check as {@code ./fleetgate up} ({@code scripts/check-secrets.sh}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsOnDiskE2EIT {
    private static final int PORTS = 20470;

    private Path work;
    private TestDatabase db;
    private CoreProcess core;
    private AgentProcess agent;

    @BeforeAll
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target/e2e").toAbsolutePath())
                .resolve("secrets-" + System.currentTimeMillis());
        Files.createDirectories(work);
        db = TestDatabase.create();
        core = CoreProcess.install(work, PORTS, db, Map.of());
        core.start();
        Api admin = core.admin();
        String token = admin.post("/api/v1/agents/enrollment-tokens", Map.of("name", "secrets"))
                .expect(201)
                .body()
                .get("token")
                .asText();
        agent = new AgentProcess(work).proxyPorts(PORTS + 10, PORTS + 11, PORTS + 12);
        agent.start(core.enrolmentUrl(), "secrets-agent", token, core.agentEnvironment());
        agent.awaitOnline(admin, "secrets-agent", Duration.ofSeconds(90));
    }

    @AfterAll
    void stop() {
        Processes.stopAll(agent, core, db);
    }

    @Test
    void noSecretIsReadableByOtherUsers() throws Exception {
        List<String> secrets = new ArrayList<>(core.secretValues());
        secrets.add(TestDatabase.password());
        String apiKey = new ObjectMapper()
                .readTree(work.resolve("agent-state/agent.json").toFile())
                .get("apiKey")
                .asText();
        assertFalse(apiKey.isBlank());
        secrets.add(apiKey);
        // the copies this test is about exist: ConfigAdmin's under data/ (else the walk proves nothing)
        assertTrue(
                containsSomewhere(
                        core.home().resolve("data"), core.secretValues().get(0).replaceAll("=+$", "")),
                "Karaf keeps a copy of the JWT key under data/");

        Path values = work.resolve("secret-values");
        Files.write(values, secrets, StandardCharsets.UTF_8);
        Path script = Path.of(System.getProperty("fleetgate.root", "../..")).resolve("scripts/check-secrets.sh");
        Process p = new ProcessBuilder(
                        script.toString(),
                        "-v",
                        values.toString(),
                        core.home().toString(),
                        work.resolve("agent-state").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "secrets readable by other users:\n" + out);

        for (Path dir : List.of(
                core.home().resolve("etc"), core.home().resolve("data"), work.resolve("agent-state/felix-cache"))) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            assertTrue(
                    perms.stream()
                            .noneMatch(x ->
                                    x.name().startsWith("OTHERS") || x.name().startsWith("GROUP")),
                    dir + " is open to others: " + perms);
        }
        Set<PosixFilePermission> state = Files.getPosixFilePermissions(work.resolve("agent-state"));
        assertFalse(
                state.contains(PosixFilePermission.OTHERS_READ), "agent state directory listable by others: " + state);
    }

    private static boolean containsSomewhere(Path root, String value) throws IOException {
        byte[] needle = value.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f ->
                            f.toString().endsWith(".config") || f.toString().endsWith(".cfg"))
                    .anyMatch(f -> {
                        try {
                            return indexOf(Files.readAllBytes(f), needle) >= 0;
                        } catch (IOException e) {
                            return false;
                        }
                    });
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
