package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class LivenessTest {

    @Test
    void handoverRoundTripsInPayloadsBelowTheNotifyLimit() {
        Map<String, Instant> seen = new HashMap<>();
        Instant t = Instant.parse("2026-12-04T20:00:00.123Z");
        for (int i = 0; i < 1000; i++) {
            seen.put(UUID.randomUUID().toString(), t.plusMillis(i));
        }
        seen.put("not-a-uuid", t);
        List<String> payloads = Liveness.encode("abcdefghijkl", seen);
        assertEquals(5, payloads.size(), "230 agents per payload");
        Map<String, Instant> back = new HashMap<>();
        for (String p : payloads) {
            assertTrue(p.length() < 8000, "NOTIFY payloads must stay below 8000 bytes: " + p.length());
            Liveness.Message m = Liveness.decode(p);
            assertEquals("abcdefghijkl", m.coreId());
            back.putAll(m.seen());
        }
        seen.remove("not-a-uuid");
        assertEquals(seen, back);
    }

    @Test
    void helloAndJunk() {
        String id = Liveness.newCoreId();
        Liveness.Message hello = Liveness.decode(Liveness.hello(id));
        assertTrue(hello.hello());
        assertEquals(id, hello.coreId());
        assertNull(Liveness.decode(null));
        assertNull(Liveness.decode("S" + id + ":not base64!"));
        assertNull(Liveness.decode("S" + id + ":AAAA"));
        assertNull(Liveness.decode("X" + id));
    }
}
