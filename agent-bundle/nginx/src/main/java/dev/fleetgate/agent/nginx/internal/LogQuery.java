package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads nginx's access or error log for the {@code logs.nginx} task: the last lines, or the lines after a
 * cursor, optionally filtered, bounded in lines and bytes. The cursor names the file (its inode) and an offset,
 * so it survives a rotation: a cursor into the rotated file {@code .1} continues there, then in the new file.
 */
public final class LogQuery {

    /** What the task asked for. */
    public record Request(String log, int tail, String cursor, String filter, int limit, int maxBytes) {}

    private static final int MAX_LINE = 16 * 1024;
    private static final long MAX_SCAN = 32L * 1024 * 1024;
    private static final DateTimeFormatter ERROR_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private final Path logsDir;

    public LogQuery(Path logsDir) {
        this.logsDir = logsDir;
    }

    /** @throws IllegalArgumentException for an invalid payload */
    public static Request request(JsonNode p) {
        String log = p.path("log").asText("access");
        if (!log.equals("access") && !log.equals("error")) {
            throw new IllegalArgumentException("log must be access or error");
        }
        int tail = p.path("tail").asInt(100);
        int limit = p.path("limit").asInt(500);
        int maxBytes = p.path("maxBytes").asInt(262_144);
        String filter = p.hasNonNull("filter") ? p.get("filter").asText() : null;
        if (tail < 0
                || tail > 5000
                || limit < 1
                || limit > 5000
                || maxBytes < 1
                || maxBytes > 4 * 1024 * 1024
                || (filter != null && filter.length() > 500)) {
            throw new IllegalArgumentException(
                    "tail 0..5000, limit 1..5000, maxBytes 1..4194304, filter up to 500 characters");
        }
        String cursor = p.hasNonNull("cursor") ? p.get("cursor").asText() : null;
        return new Request(log, tail, cursor, filter == null || filter.isEmpty() ? null : filter, limit, maxBytes);
    }

    public ObjectNode run(Request r) throws IOException {
        Path current = logsDir.resolve(r.log() + ".log");
        Path rotated = logsDir.resolve(r.log() + ".log.1");
        String filter = r.filter() == null ? null : r.filter().toLowerCase(Locale.ROOT);
        List<String> lines = new ArrayList<>();
        boolean truncated = false;
        Object key = key(current);
        long end = completeEnd(current);
        String cursor;
        if (r.cursor() == null) {
            Deque<String> last = tail(current, end, r.tail(), filter);
            if (last.size() < r.tail() && Files.exists(rotated)) {
                Deque<String> older = tail(rotated, completeEnd(rotated), r.tail() - last.size(), filter);
                older.descendingIterator().forEachRemaining(last::addFirst);
            }
            int bytes = 0;
            for (String line : last) {
                lines.add(line);
                bytes += line.length();
            }
            while (bytes > r.maxBytes() && !lines.isEmpty()) {
                bytes -= lines.remove(0).length();
                truncated = true;
            }
            cursor = encode(key, end);
        } else {
            String[] c = decode(r.cursor());
            Forward f = new Forward(r.limit(), r.maxBytes(), filter);
            Object rotatedKey = key(rotated);
            if (rotatedKey != null && c[0].equals(String.valueOf(rotatedKey))) {
                long stop = f.read(rotated, Long.parseLong(c[1]), completeEnd(rotated));
                if (f.full) {
                    return result(r.log(), f.lines, true, encode(rotatedKey, stop));
                }
                c = new String[] {String.valueOf(key), "0"};
            }
            long from = c[0].equals(String.valueOf(key)) ? Math.min(Long.parseLong(c[1]), end) : 0;
            if (from > end) {
                from = 0;
            }
            long stop = f.read(current, from, end);
            lines = f.lines;
            truncated = f.full;
            cursor = encode(key, stop);
        }
        return result(r.log(), lines, truncated, cursor);
    }

    /** Reads complete lines forward, within the limits. */
    private static final class Forward {
        final List<String> lines = new ArrayList<>();
        final int limit;
        final int maxBytes;
        final String filter;
        int bytes;
        boolean full;

        Forward(int limit, int maxBytes, String filter) {
            this.limit = limit;
            this.maxBytes = maxBytes;
            this.filter = filter;
        }

        /** @return the offset after the last line consumed */
        long read(Path file, long from, long end) throws IOException {
            if (end <= from) {
                return from;
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long lineStart = from;
                long pos = from;
                java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[64 * 1024];
                while (pos < end) {
                    f.seek(pos);
                    int n = f.read(buf, 0, (int) Math.min(buf.length, end - pos));
                    if (n <= 0) {
                        break;
                    }
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != '\n') {
                            continue;
                        }
                        if (current.size() < MAX_LINE * 4) {
                            current.write(buf, start, Math.min(i - start, MAX_LINE * 4));
                        }
                        String line = cut(current.toString(StandardCharsets.UTF_8));
                        current.reset();
                        start = i + 1;
                        if (matches(line, filter) && !line.isEmpty()) {
                            if (lines.size() >= limit || (bytes + line.length() > maxBytes && !lines.isEmpty())) {
                                full = true;
                                return lineStart;
                            }
                            lines.add(line);
                            bytes += line.length();
                        }
                        lineStart = pos + i + 1;
                    }
                    if (current.size() < MAX_LINE * 4) {
                        current.write(buf, start, Math.min(n - start, MAX_LINE * 4));
                    }
                    pos += n;
                }
                return lineStart;
            }
        }
    }

    /** The last {@code count} matching complete lines before {@code end}, scanning at most {@link #MAX_SCAN} bytes. */
    private static Deque<String> tail(Path file, long end, int count, String filter) throws IOException {
        Deque<String> out = new ArrayDeque<>();
        if (count == 0 || end == 0) {
            return out;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            for (long window = 64 * 1024; ; window *= 4) {
                long start = Math.max(0, end - window);
                byte[] data = new byte[(int) (end - start)];
                f.seek(start);
                f.readFully(data);
                String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", -1);
                out.clear();
                // the first piece is partial unless the window starts the file; the last one follows the last newline
                for (int i = lines.length - 2; i >= (start == 0 ? 0 : 1) && out.size() < count; i--) {
                    if (!lines[i].isEmpty() && matches(lines[i], filter)) {
                        out.addFirst(cut(lines[i]));
                    }
                }
                if (out.size() >= count || start == 0 || window >= MAX_SCAN) {
                    return out;
                }
            }
        }
    }

    /** @return the offset just after the last newline (the end of the complete lines) */
    private static long completeEnd(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long pos = f.length();
            byte[] buf = new byte[8192];
            while (pos > 0) {
                int n = (int) Math.min(buf.length, pos);
                pos -= n;
                f.seek(pos);
                f.readFully(buf, 0, n);
                for (int i = n - 1; i >= 0; i--) {
                    if (buf[i] == '\n') {
                        return pos + i + 1;
                    }
                }
            }
            return 0;
        }
    }

    private static boolean matches(String line, String filter) {
        return filter == null || line.toLowerCase(Locale.ROOT).contains(filter);
    }

    private static String cut(String line) {
        return dev.fleetgate.agent.StorableText.clean(
                line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "…");
    }

    private static ObjectNode result(String log, List<String> lines, boolean truncated, String cursor) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode array = out.putArray("lines");
        for (String line : lines) {
            array.addObject()
                    .put("timestamp", timestamp(log, line))
                    .put("stream", log)
                    .put("text", line);
        }
        out.put("cursor", cursor);
        out.put("truncated", truncated);
        return out;
    }

    static String timestamp(String log, String line) {
        try {
            if (log.equals("access")) {
                JsonNode n = Spec.JSON.readTree(line);
                long millis = Math.round(n.path("time").asDouble() * 1000);
                return millis > 0 ? java.time.Instant.ofEpochMilli(millis).toString() : null;
            }
            if (line.length() >= 19) {
                return LocalDateTime.parse(line.substring(0, 19), ERROR_TIME)
                        .atZone(ZoneId.systemDefault())
                        .toInstant()
                        .toString();
            }
        } catch (IOException | RuntimeException e) {
            // not a line of ours
        }
        return null;
    }

    private static String encode(Object key, long offset) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        ("v1|" + Objects.toString(key, "none") + "|" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            if (parts.length == 3 && parts[0].equals("v1")) {
                Long.parseLong(parts[2]);
                return new String[] {parts[1], parts[2]};
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new IllegalArgumentException("invalid cursor");
    }

    private static Object key(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
