package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Request bodies over the limit: 413 problem+json, by Content-Length before reading, or while counting. */
class BodyLimitTest {
    private final InMemoryApi api = new InMemoryApi(new InputsResource());

    private static CountingInputStream json(int bytes) {
        String s = "[\"" + "x".repeat(Math.max(0, bytes - 4)) + "\"]";
        return new CountingInputStream(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void contentLengthOverTheDefaultIs413WithoutReadingTheBody() {
        CountingInputStream body = json(2 << 20);
        InMemoryApi.Answer a = api.stream(
                "POST",
                "inputs/node",
                "admin",
                "application/json",
                body,
                Map.of("Content-Length", String.valueOf(2 << 20)));
        assertEquals(413, a.status(), a.body());
        assertEquals(Problems.MEDIA_TYPE, a.type());
        assertEquals(0, body.bytesRead());
    }

    @Test
    void chunkedBodyOverTheDefaultIs413AfterAtMostTheLimit() {
        CountingInputStream body = json(3 << 20);
        InMemoryApi.Answer a = api.stream("POST", "inputs/node", "admin", "application/json", body, Map.of());
        assertEquals(413, a.status(), a.body());
        assertTrue(a.json().get("detail").asText().contains(String.valueOf(JerseyApplications.DEFAULT_MAX_BODY_BYTES)));
        assertTrue(body.bytesRead() <= JerseyApplications.DEFAULT_MAX_BODY_BYTES + 1, "read " + body.bytesRead());
    }

    @Test
    void bodyUnderTheDefaultPasses() {
        assertEquals(
                200,
                api.stream("POST", "inputs/node", "admin", "application/json", json(900_000), Map.of())
                        .status());
    }

    @Test
    void methodLimitWins() {
        assertEquals(
                413,
                api.stream("POST", "inputs/small", "admin", "application/json", json(65), Map.of())
                        .status());
        assertEquals(
                200,
                api.stream("POST", "inputs/small", "admin", "application/json", json(60), Map.of())
                        .status());
    }

    @Test
    void streamingMethodLimitsItself() {
        InMemoryApi.Answer a = api.stream(
                "POST",
                "inputs/stream",
                "admin",
                "application/octet-stream",
                new ByteArrayInputStream(new byte[2 << 20]),
                Map.of());
        assertEquals(200, a.status(), a.body());
        assertEquals(2 << 20, a.json().get("bytes").asInt());
    }

    @Test
    void unauthenticatedBodyIsNotRead() {
        CountingInputStream body = json(500_000);
        InMemoryApi.Answer a = api.stream("POST", "inputs/node", null, "application/json", body, Map.of());
        assertEquals(401, a.status());
        assertEquals(0, body.bytesRead());
    }

    /** A body refused at its first token is read to its end before the 400 goes out (no reset losing the answer). */
    @Test
    void aRefusedBodyIsReadToItsEndUpToTheDrainLimit() {
        CountingInputStream small = json(20_000); // an array where the record expects an object
        InMemoryApi.Answer a = api.stream("POST", "inputs/login", "admin", "application/json", small, Map.of());
        assertEquals(400, a.status(), a.body());
        assertEquals(20_000, small.bytesRead(), "the whole refused body was read");

        CountingInputStream big = json(500_000);
        InMemoryApi.Answer b = api.stream("POST", "inputs/login", "admin", "application/json", big, Map.of());
        assertEquals(400, b.status(), b.body());
        assertTrue(big.bytesRead() <= 128 * 1024, "read " + big.bytesRead());
    }
}
