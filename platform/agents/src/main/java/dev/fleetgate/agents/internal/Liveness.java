package dev.fleetgate.agents.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The payloads of the liveness handover between cores on {@value Notifier#SEEN_CHANNEL}
 * (NOTIFY payloads must stay below 8,000 bytes):
 * <ul>
 * <li>{@code S<core id>:<base64>} — agents seen by that core: per agent 16 bytes of UUID and
 * 8 bytes of epoch milliseconds, at most {@value #PER_MESSAGE} agents per payload;
 * <li>{@code H<core id>} — that core just started (or reconnected) and asks for every agent
 * the others hold ONLINE.
 * </ul>
 */
final class Liveness {
    /** 230 × 24 bytes = 5,520 bytes = 7,360 base64 characters, plus the header. */
    static final int PER_MESSAGE = 230;

    private static final int CORE_ID_LENGTH = 12;

    /** A decoded payload: a hello, or agents seen with their times. */
    record Message(String coreId, boolean hello, Map<String, Instant> seen) {}

    private Liveness() {}

    static String newCoreId() {
        StringBuilder b = new StringBuilder(CORE_ID_LENGTH);
        String digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        for (int i = 0; i < CORE_ID_LENGTH; i++) {
            b.append(digits.charAt(ThreadLocalRandom.current().nextInt(digits.length())));
        }
        return b.toString();
    }

    static String hello(String coreId) {
        return "H" + coreId;
    }

    /** Agents whose id is not a UUID are left out (every enrolled agent's id is one). */
    static List<String> encode(String coreId, Map<String, Instant> seen) {
        List<String> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(PER_MESSAGE * 24);
        for (Map.Entry<String, Instant> e : seen.entrySet()) {
            UUID id;
            try {
                id = UUID.fromString(e.getKey());
            } catch (IllegalArgumentException bad) {
                continue;
            }
            buf.putLong(id.getMostSignificantBits())
                    .putLong(id.getLeastSignificantBits())
                    .putLong(e.getValue().toEpochMilli());
            if (!buf.hasRemaining()) {
                out.add(message(coreId, buf));
            }
        }
        if (buf.position() > 0) {
            out.add(message(coreId, buf));
        }
        return out;
    }

    private static String message(String coreId, ByteBuffer buf) {
        String body = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), buf.position()));
        buf.clear();
        return "S" + coreId + ":" + body;
    }

    /** @return the message, or null when the payload is not one (ignored) */
    static Message decode(String payload) {
        if (payload == null || payload.length() < 1 + CORE_ID_LENGTH) {
            return null;
        }
        String coreId = payload.substring(1, 1 + CORE_ID_LENGTH);
        if (payload.charAt(0) == 'H' && payload.length() == 1 + CORE_ID_LENGTH) {
            return new Message(coreId, true, Map.of());
        }
        if (payload.charAt(0) != 'S'
                || payload.length() < 2 + CORE_ID_LENGTH
                || payload.charAt(1 + CORE_ID_LENGTH) != ':') {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(payload.substring(2 + CORE_ID_LENGTH));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length % 24 != 0) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        Map<String, Instant> seen = new HashMap<>();
        while (buf.hasRemaining()) {
            UUID id = new UUID(buf.getLong(), buf.getLong());
            seen.put(id.toString(), Instant.ofEpochMilli(buf.getLong()));
        }
        return new Message(coreId, false, seen);
    }
}
