package dev.fleetgate.agent.metrics.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads pseudo files (/proc, /sys, cgroupfs) whole. Not {@code Files.readString}: it trusts the
 * reported size, and /proc/sys files report 0 — it then returns their first byte only
 * ({@code "256"} read as {@code "2"}, seen on JDK 17).
 */
public final class ProcFiles {

    private ProcFiles() {}

    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
