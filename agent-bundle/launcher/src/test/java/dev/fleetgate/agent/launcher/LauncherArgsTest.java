package dev.fleetgate.agent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LauncherArgsTest {

    private static final Path HOME = Path.of("/home/agent");

    private static LauncherArgs parse(Map<String, String> env, String... args) throws Exception {
        return LauncherArgs.parse(args, env, HOME);
    }

    @Test
    void readsEveryOption() throws Exception {
        LauncherArgs args = parse(
                Map.of(),
                "--core",
                "https://core.lan:8443/",
                "--token",
                "t0k",
                "--name",
                "web-1",
                "--state-dir",
                "/var/lib/fga",
                "--role",
                "edge",
                "--address",
                "10.0.0.5");
        assertEquals("https://core.lan:8443", args.core());
        assertEquals("t0k", args.token());
        assertEquals("web-1", args.name());
        assertEquals(Path.of("/var/lib/fga"), args.stateDir());
        assertEquals("edge", args.role());
        assertEquals("10.0.0.5", args.address());
    }

    @Test
    void defaultsApplyWhenOnlyCoreIsGiven() throws Exception {
        LauncherArgs args = parse(Map.of(), "--core=http://127.0.0.1:8181");
        assertNull(args.token());
        assertNull(args.name());
        assertEquals("host", args.role());
        assertEquals(HOME.resolve(".fleetgate-agent"), args.stateDir());
    }

    @Test
    void environmentIsUsedAndArgumentsWin() throws Exception {
        Map<String, String> env = Map.of(
                "FLEETGATE_AGENT_CORE",
                "https://env:1",
                "FLEETGATE_AGENT_TOKEN",
                "envtoken",
                "FLEETGATE_AGENT_NAME",
                "env-name",
                "FLEETGATE_AGENT_STATE_DIR",
                "/env/state");
        LauncherArgs fromEnv = parse(env);
        assertEquals("https://env:1", fromEnv.core());
        assertEquals("envtoken", fromEnv.token());
        assertEquals(Path.of("/env/state"), fromEnv.stateDir());
        LauncherArgs mixed = parse(env, "--core", "https://arg:2", "--name", "arg-name");
        assertEquals("https://arg:2", mixed.core());
        assertEquals("arg-name", mixed.name());
        assertEquals("envtoken", mixed.token());
    }

    @Test
    void rejectsInvalidInput() {
        assertMessage("--core is required", Map.of());
        assertMessage("invalid --core", Map.of(), "--core", "ftp://x");
        assertMessage("invalid --core", Map.of(), "--core", "not a url");
        assertMessage("invalid --name", Map.of(), "--core", "https://c", "--name", "-bad");
        assertMessage("invalid --role", Map.of(), "--core", "https://c", "--role", "worker");
        assertMessage("unknown option: --port", Map.of(), "--core", "https://c", "--port", "1");
        assertMessage("--token needs a value", Map.of(), "--core", "https://c", "--token");
        assertMessage("unexpected argument: extra", Map.of(), "extra", "--core", "https://c");
    }

    @Test
    void cleartextOnlyToACoreOnThisMachine() throws Exception {
        assertMessage("plain http:// only for a core on this machine", Map.of(), "--core", "http://core.example:8080");
        assertMessage("plain http:// only for a core on this machine", Map.of(), "--core", "http://10.0.0.1:8080");
        assertEquals(
                "http://127.0.0.1:8080",
                parse(Map.of(), "--core", "http://127.0.0.1:8080").core());
        assertEquals(
                "http://[::1]:8080",
                parse(Map.of(), "--core", "http://[::1]:8080").core());
        assertEquals(
                "http://localhost:8080",
                parse(Map.of(), "--core", "http://localhost:8080").core());
    }

    @Test
    void readsTheCoreFingerprint() throws Exception {
        String hex = "ab".repeat(32);
        assertEquals(
                "sha256:" + hex,
                parse(Map.of(), "--core", "https://c:8443", "--core-fingerprint", "SHA256:" + hex.toUpperCase())
                        .coreFingerprint());
        String colons = String.join(":", java.util.Collections.nCopies(32, "AB"));
        assertEquals(
                "sha256:" + hex,
                parse(Map.of("FLEETGATE_AGENT_CORE_FINGERPRINT", colons), "--core", "https://c:8443")
                        .coreFingerprint());
        assertNull(parse(Map.of(), "--core", "https://c:8443").coreFingerprint());
        assertMessage(
                "invalid --core-fingerprint", Map.of(), "--core", "https://c", "--core-fingerprint", "sha256:abc");
        LauncherArgs args = parse(Map.of(), "--core", "https://c:8443", "--core-fingerprint", "sha256:" + hex);
        assertEquals(
                "sha256:" + hex,
                new AgentLauncher(args, Path.of("/dist"), "1", System.out)
                        .properties()
                        .get("fleetgate.agent.coreFingerprint"));
    }

    @Test
    void helpIsNotAnError() {
        assertThrows(LauncherArgs.HelpRequested.class, () -> parse(Map.of(), "--help"));
    }

    private static void assertMessage(String expected, Map<String, String> env, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> parse(env, args));
        assertTrue(
                e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
