package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailerTest {

    @TempDir
    Path dir;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void startsAtTheEndAndReturnsCompleteLinesOnly() throws Exception {
        Path log = dir.resolve("access.log");
        append(log, "old\n");
        try (LogTailer t = new LogTailer(log, true, 1000)) {
            assertEquals(List.of(), t.poll());
            append(log, "one\ntw");
            assertEquals(List.of("one"), t.poll());
            append(log, "o\n");
            assertEquals(List.of("two"), t.poll());
        }
    }

    @Test
    void followsARotationWithoutLosingWhatIsStillWrittenToTheOldFile() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        try (LogTailer t = new LogTailer(log, true, 60_000)) {
            t.poll();
            append(log, "a\n");
            Path rotated = dir.resolve("access.log.1");
            Files.move(log, rotated);
            // nginx keeps writing to the renamed file until it reopens its logs
            append(rotated, "b\n");
            append(log, "c\n");
            assertEquals(List.of("a", "b", "c"), t.poll());
            append(rotated, "late\n");
            append(log, "d\n");
            assertEquals(List.of("late", "d"), t.poll());
        }
    }

    @Test
    void startsOverAfterATruncation() throws Exception {
        Path log = dir.resolve("access.log");
        append(log, "x\ny\n");
        try (LogTailer t = new LogTailer(log, false, 1000)) {
            assertEquals(List.of("x", "y"), t.poll());
            Files.writeString(log, "");
            append(log, "z\n");
            assertEquals(List.of("z"), t.poll());
        }
    }

    @Test
    void aFileThatAppearsLaterIsReadFromItsStart() throws Exception {
        Path log = dir.resolve("later.log");
        try (LogTailer t = new LogTailer(log, true, 1000)) {
            assertEquals(List.of(), t.poll());
            append(log, "first\n");
            List<String> got = new ArrayList<>(t.poll());
            assertEquals(List.of("first"), got);
        }
    }
}
