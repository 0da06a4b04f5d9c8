package dev.fleetgate.agent.docker.internal;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Lines of a {@code GET /containers/{id}/logs?timestamps=1} answer, one at a time: the
 * multiplexed frames of a container without a TTY (8-byte header: stream, size), or the raw
 * stream of one with a TTY. Each line starts with its RFC 3339 nano timestamp.
 */
final class LogStream implements Closeable {

    /** One log line; {@code text} has no timestamp and no line end, cut at the line limit. */
    record Line(Instant timestamp, String stream, String text) {}

    private final InputStream in;
    private final boolean tty;
    private final int maxLineChars;
    private final byte[] header = new byte[8];
    private byte[] payload = new byte[8192];
    private int payloadLength;
    private int payloadPos;
    private String payloadStream;
    private Instant last = Instant.EPOCH;

    LogStream(InputStream in, boolean tty, int maxLineChars) {
        this.in = new BufferedInputStream(in, 65_536);
        this.tty = tty;
        this.maxLineChars = maxLineChars;
    }

    /** @return the next line, or null at the end of the log */
    Line next() throws IOException {
        while (true) {
            if (payloadPos < payloadLength) {
                int end = payloadPos;
                while (end < payloadLength && payload[end] != '\n') {
                    end++;
                }
                Line line = parse(payload, payloadPos, end, payloadStream);
                payloadPos = end + 1;
                return line;
            }
            if (!fill()) {
                return null;
            }
        }
    }

    private boolean fill() throws IOException {
        payloadPos = 0;
        payloadLength = 0;
        if (tty) {
            payloadStream = "stdout";
            int n = 0;
            int b;
            while ((b = in.read()) >= 0) {
                ensure(n + 1);
                payload[n++] = (byte) b;
                if (b == '\n') {
                    break;
                }
            }
            payloadLength = n;
            return n > 0;
        }
        if (in.readNBytes(header, 0, 8) < 8) {
            return false;
        }
        payloadStream = header[0] == 2 ? "stderr" : "stdout";
        int size = ((header[4] & 0xff) << 24)
                | ((header[5] & 0xff) << 16)
                | ((header[6] & 0xff) << 8)
                | (header[7] & 0xff);
        if (size < 0) {
            throw new IOException("bad log frame");
        }
        ensure(size);
        payloadLength = in.readNBytes(payload, 0, size);
        return true;
    }

    private void ensure(int size) {
        if (payload.length < size) {
            byte[] bigger = new byte[Math.max(size, payload.length * 2)];
            System.arraycopy(payload, 0, bigger, 0, payloadLength);
            payload = bigger;
        }
    }

    private Line parse(byte[] b, int from, int to, String stream) {
        int space = from;
        while (space < to && b[space] != ' ') {
            space++;
        }
        Instant ts = null;
        if (space < to && space - from >= 20 && space - from <= 40) {
            try {
                ts = Instant.parse(new String(b, from, space - from, StandardCharsets.US_ASCII));
            } catch (DateTimeParseException e) {
                ts = null;
            }
        }
        int textFrom = from;
        if (ts == null) {
            ts = last;
        } else {
            textFrom = space + 1;
            last = ts;
        }
        int textTo = to > textFrom && b[to - 1] == '\r' ? to - 1 : to;
        String text;
        if (textTo - textFrom > maxLineChars * 4) {
            text = new String(b, textFrom, maxLineChars * 4, StandardCharsets.UTF_8);
        } else {
            text = new String(b, textFrom, Math.max(0, textTo - textFrom), StandardCharsets.UTF_8);
        }
        if (text.length() > maxLineChars) {
            text = text.substring(0, maxLineChars) + "…";
        }
        return new Line(ts, stream, dev.fleetgate.agent.StorableText.clean(text));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
