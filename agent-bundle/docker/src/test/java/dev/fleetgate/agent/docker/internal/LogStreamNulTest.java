package dev.fleetgate.agent.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class LogStreamNulTest {

    @Test
    void aTtyStreamWithANulGivesACleanLine() throws Exception {
        byte[] raw = "2026-01-01T00:00:00.000000001Z a\u0000b\n".getBytes(StandardCharsets.UTF_8);
        try (LogStream s = new LogStream(new ByteArrayInputStream(raw), true, 100)) {
            assertEquals("a\uFFFDb", s.next().text());
        }
    }
}
