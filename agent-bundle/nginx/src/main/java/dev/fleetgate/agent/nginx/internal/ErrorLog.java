package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what nginx's master wrote to the error log after a point, to report why a reload or start failed. */
final class ErrorLog {

    private static final int MAX_BYTES = 64 * 1024;

    private ErrorLog() {}

    /** @return the [emerg] and [alert] lines written after {@code offset}, joined, or null when there are none */
    static String problemsSince(Path log, long offset) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) {
                return null;
            }
            long from = Math.max(offset, length - MAX_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            f.seek(from);
            f.readFully(bytes);
            List<String> problems = new ArrayList<>();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                int at = Math.max(line.indexOf("[emerg]"), line.indexOf("[alert]"));
                if (at >= 0) {
                    problems.add(line.substring(at).trim());
                }
            }
            return problems.isEmpty() ? null : String.join("; ", problems);
        } catch (IOException e) {
            return null;
        }
    }
}
