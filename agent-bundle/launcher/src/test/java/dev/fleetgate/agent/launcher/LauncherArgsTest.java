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
        LauncherArgs args = parse(Map.of(), "--core", "https://core.lan:8443/", "--token", "t0k", "--name", "web-1",
                "--state-dir", "/var/lib/fga", "--role", "edge", "--address", "10.0.0.5");
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
        Map<String, String> env = Map.of("FLEETGATE_AGENT_CORE", "http://env:1", "FLEETGATE_AGENT_TOKEN", "envtoken",
                "FLEETGATE_AGENT_NAME", "env-name", "FLEETGATE_AGENT_STATE_DIR", "/env/state");
        LauncherArgs fromEnv = parse(env);
        assertEquals("http://env:1", fromEnv.core());
        assertEquals("envtoken", fromEnv.token());
        assertEquals(Path.of("/env/state"), fromEnv.stateDir());
        LauncherArgs mixed = parse(env, "--core", "http://arg:2", "--name", "arg-name");
        assertEquals("http://arg:2", mixed.core());
        assertEquals("arg-name", mixed.name());
        assertEquals("envtoken", mixed.token());
    }

    @Test
    void rejectsInvalidInput() {
        assertMessage("--core is required", Map.of());
        assertMessage("invalid --core", Map.of(), "--core", "ftp://x");
        assertMessage("invalid --core", Map.of(), "--core", "not a url");
        assertMessage("invalid --name", Map.of(), "--core", "http://c", "--name", "-bad");
        assertMessage("invalid --role", Map.of(), "--core", "http://c", "--role", "worker");
        assertMessage("unknown option: --port", Map.of(), "--core", "http://c", "--port", "1");
        assertMessage("--token needs a value", Map.of(), "--core", "http://c", "--token");
        assertMessage("unexpected argument: extra", Map.of(), "extra", "--core", "http://c");
    }

    @Test
    void helpIsNotAnError() {
        assertThrows(LauncherArgs.HelpRequested.class, () -> parse(Map.of(), "--help"));
    }

    private static void assertMessage(String expected, Map<String, String> env, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> parse(env, args));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
