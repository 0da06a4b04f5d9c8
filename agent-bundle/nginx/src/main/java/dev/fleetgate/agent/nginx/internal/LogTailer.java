package dev.fleetgate.agent.nginx.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Follows a log file that is rotated (renamed and recreated) or truncated: each {@link #poll} returns the
 * complete lines appended since the last one. A rotated file is read to its end and then followed for a grace
 * period, because nginx writes to it until it has reopened its logs.
 */
public final class LogTailer implements Closeable {

    private static final int MAX_BYTES_PER_POLL = 4 * 1024 * 1024;

    private final Path file;
    private final long graceNanos;
    private boolean fromEnd;
    private Source current;
    private Source retired;
    private long retiredUntil;

    private static final class Source {
        final FileChannel channel;
        final Object key;
        long position;
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Source(FileChannel channel, Object key, long position) {
            this.channel = channel;
            this.key = key;
            this.position = position;
        }
    }

    /**
     * @param fromEnd     whether to start at the end of the existing file (only new lines) rather than its start
     * @param graceMillis how long a rotated file is still read
     */
    public LogTailer(Path file, boolean fromEnd, long graceMillis) {
        this.file = file;
        this.fromEnd = fromEnd;
        this.graceNanos = graceMillis * 1_000_000;
    }

    /** @return the complete lines written since the last poll, oldest first */
    public List<String> poll() throws IOException {
        List<String> lines = new ArrayList<>();
        int budget = MAX_BYTES_PER_POLL;
        if (retired != null) {
            budget -= read(retired, lines, budget);
            if (System.nanoTime() > retiredUntil) {
                closeQuietly(retired);
                retired = null;
            }
        }
        Object key = key();
        if (current != null && key != null && !Objects.equals(key, current.key)) {
            budget -= read(current, lines, budget);
            if (retired != null) {
                closeQuietly(retired);
            }
            retired = current;
            retiredUntil = System.nanoTime() + graceNanos;
            current = null;
        }
        if (key == null) {
            // a file created from now on holds only new lines
            fromEnd = false;
        } else if (current == null) {
            current = open(key);
        }
        if (current != null) {
            if (current.channel.size() < current.position) {
                current.position = 0;
                current.partial.reset();
            }
            read(current, lines, budget);
        }
        return lines;
    }

    private Source open(Object key) throws IOException {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            long position = fromEnd ? channel.size() : 0;
            fromEnd = false;
            return new Source(channel, key, position);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private Object key() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** @return bytes read */
    private static int read(Source s, List<String> lines, int budget) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int total = 0;
        while (total < budget) {
            buffer.clear();
            int n = s.channel.read(buffer, s.position);
            if (n <= 0) {
                break;
            }
            s.position += n;
            total += n;
            byte[] bytes = buffer.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    s.partial.write(bytes, start, i - start);
                    String line = s.partial.toString(StandardCharsets.UTF_8);
                    s.partial.reset();
                    if (!line.isEmpty()) {
                        lines.add(line);
                    }
                    start = i + 1;
                }
            }
            s.partial.write(bytes, start, n - start);
        }
        return total;
    }

    @Override
    public void close() {
        if (current != null) {
            closeQuietly(current);
        }
        if (retired != null) {
            closeQuietly(retired);
        }
        current = null;
        retired = null;
    }

    private static void closeQuietly(Source s) {
        try {
            s.channel.close();
        } catch (IOException e) {
            // closing a read channel
        }
    }
}
