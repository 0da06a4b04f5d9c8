package dev.fleetgate.agent.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void nulAndUnpairedSurrogatesBecomeReplacementCharacters() {
        assertEquals("a\uFFFDb\tc\u001b[0m", LogText.clean("a\u0000b\tc\u001b[0m"));
        assertEquals("x\uFFFD", LogText.clean("x\uD83D"));
        assertEquals("\uFFFDy", LogText.clean("\uDE00y"));
        String ok = "ok \uD83D\uDE00 é";
        assertSame(ok, LogText.clean(ok));
    }

    @Test
    void aTtyStreamWithANulGivesACleanLine() throws Exception {
        byte[] raw = "2026-01-01T00:00:00.000000001Z a\u0000b\n".getBytes(StandardCharsets.UTF_8);
        try (LogStream s = new LogStream(new ByteArrayInputStream(raw), true, 100)) {
            assertEquals("a\uFFFDb", s.next().text());
        }
    }
}
