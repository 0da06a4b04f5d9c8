package dev.fleetgate.agent.docker.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A position in a container's log: the Docker timestamp of a line and how many lines carry
 * exactly that timestamp up to and including it. Reading {@code since} that timestamp and
 * skipping {@code count} lines stamped with it continues without loss or repetition.
 * Opaque to callers ({@code base64url("v1:<seconds>.<nanos>:<count>")}).
 */
public record LogCursor(Instant timestamp, int count) {

    public static final LogCursor START = new LogCursor(Instant.EPOCH, 0);

    public String encode() {
        String raw =
                "v1:" + timestamp.getEpochSecond() + "." + String.format("%09d", timestamp.getNano()) + ":" + count;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws IllegalArgumentException when the text is not a cursor of ours */
    public static LogCursor decode(String text) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            String[] parts = raw.split(":");
            if (parts.length != 3 || !"v1".equals(parts[0])) {
                throw new IllegalArgumentException("invalid cursor");
            }
            String[] time = parts[1].split("\\.");
            Instant ts = Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1]));
            int count = Integer.parseInt(parts[2]);
            if (time[1].length() != 9 || count < 0 || ts.isBefore(Instant.EPOCH)) {
                throw new IllegalArgumentException("invalid cursor");
            }
            return new LogCursor(ts, count);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid cursor");
        }
    }

    /** @return the {@code since} parameter of the logs call: this cursor's own second and nanos */
    public String since() {
        return timestamp.getEpochSecond() + "." + String.format("%09d", timestamp.getNano());
    }
}
