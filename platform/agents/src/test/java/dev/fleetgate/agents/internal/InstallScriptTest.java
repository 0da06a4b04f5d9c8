package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install script embeds only shell-inert values, and is valid sh. */
class InstallScriptTest {
    static final String CORE = "https://core.example:8443";
    static final String PIN = "sha256//" + "A".repeat(42) + "Q=";
    static final String FINGERPRINT = "sha256:" + "ab".repeat(32);
    static final String SHA = "0f".repeat(32);
    static final String TOKEN = "AbC_dEf-0123456789abcdefghijklmnopqrstuvwxy";

    /** What a user or a client might send that a shell would act on. */
    static final List<String> ODD = List.of(
            "x'; rm -rf / #",
            "$(id)",
            "`id`",
            "a b",
            "a\nb",
            "a;b",
            "a|b",
            "a&b",
            "a\"b",
            "a\\b",
            "${HOME}",
            "a>b",
            "*",
            "~root",
            "a\u0000b",
            "é");

    @Test
    void oddValuesAreRefusedNotEscaped() {
        for (String odd : ODD) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new InstallScript.Values(CORE + odd, PIN, FINGERPRINT, SHA, TOKEN, null),
                    odd);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new InstallScript.Values("https://" + odd + ":8443", PIN, FINGERPRINT, SHA, TOKEN, null),
                    odd);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new InstallScript.Values(CORE, PIN + odd, FINGERPRINT, SHA, TOKEN, null),
                    odd);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new InstallScript.Values(CORE, PIN, FINGERPRINT + odd, SHA, TOKEN, null),
                    odd);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new InstallScript.Values(CORE, PIN, FINGERPRINT, SHA + odd, TOKEN, null),
                    odd);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new InstallScript.Values(CORE, PIN, FINGERPRINT, SHA, TOKEN + odd, null),
                    odd);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new InstallScript.Values(CORE, PIN, FINGERPRINT, SHA, odd, null),
                    odd);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new InstallScript.Values(CORE, PIN, FINGERPRINT, SHA, TOKEN, "web" + odd),
                    odd);
            assertThrows(IllegalArgumentException.class, () -> InstallScript.command(CORE, PIN, TOKEN + odd), odd);
            assertThrows(IllegalArgumentException.class, () -> InstallScript.command(CORE + odd, PIN, TOKEN), odd);
        }
    }

    @Test
    void theValuesAreSingleQuotedAssignmentsAndTheScriptParses(@TempDir Path dir) throws Exception {
        String script = InstallScript.render(
                new InstallScript.Values("https://[::1]:8443", PIN, FINGERPRINT, SHA, TOKEN, "web-1"));
        assertTrue(script.startsWith("#!/bin/sh\n"));
        assertTrue(script.contains("\ncore='https://[::1]:8443'\n"));
        assertTrue(script.contains("\npin='" + PIN + "'\n"));
        assertTrue(script.contains("\nfingerprint='" + FINGERPRINT + "'\n"));
        assertTrue(script.contains("\nsha256='" + SHA + "'\n"));
        assertTrue(script.contains("\ntoken='" + TOKEN + "'\n"));
        assertTrue(script.contains("\ntoken_name='web-1'\n"));
        assertFalse(
                java.util.regex.Pattern.compile("@[A-Z0-9]+@").matcher(script).find(), "every placeholder filled");
        assertTrue(script.contains("curl -fsS -k --pinnedpubkey \"$pin\" "), "the download is pinned like the script");
        Path file = dir.resolve("install.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Process sh = new ProcessBuilder("sh", "-n", file.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(sh.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, sh.exitValue(), new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void withoutATokenTheScriptTakesItFromTheEnvironment() {
        String script = InstallScript.render(new InstallScript.Values(CORE, PIN, FINGERPRINT, SHA, null, null));
        assertTrue(script.contains("\ntoken=''\n"));
        assertTrue(script.contains("token=${FLEETGATE_AGENT_TOKEN:-$token}"));
    }

    @Test
    void theCommandPinsTheKeyAndPipesToSh() {
        assertEquals(
                "curl -fsSk --pinnedpubkey '" + PIN + "' '" + CORE + "/api/v1/agents/install.sh?token=" + TOKEN
                        + "' | sudo sh",
                InstallScript.command(CORE, PIN, TOKEN));
    }
}
