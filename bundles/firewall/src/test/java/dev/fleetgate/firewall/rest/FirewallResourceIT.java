package dev.fleetgate.firewall.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.firewall.detect.sim.TrafficGenerator;
import dev.fleetgate.firewall.internal.Fixtures;
import dev.fleetgate.persistence.testing.TestDatabase;

/** The REST resource's input checks and answers (no HTTP: the methods as Jersey calls them). */
class FirewallResourceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static FirewallResource resource;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        resource = new FirewallResource(
                Fixtures.service(Fixtures.store(db), new ArrayList<>(), new ArrayList<>(), Instant::now));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static List<String> fields(Runnable r) {
        ApiException e = assertThrows(ApiException.class, r::run);
        assertEquals(400, e.status());
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void blocksRoundTrip() throws Exception {
        Response created =
                resource.block(JSON.readTree("{\"ip\":\"127.0.0.77\",\"ttlSeconds\":120,\"reason\":\"test\"}"));
        assertEquals(201, created.getStatus());
        ObjectNode b = (ObjectNode) created.getEntity();
        assertEquals("global", b.path("scope").asText());
        assertEquals("manual", b.path("detector").asText());
        assertTrue(b.path("serviceId").isNull());
        assertTrue(resource.blocks().toString().contains("127.0.0.77"));
        assertEquals(204, resource.unblock("127.0.0.77", null).getStatus());
        ApiException gone = assertThrows(ApiException.class, () -> resource.unblock("127.0.0.77", null));
        assertEquals(404, gone.status());
    }

    @Test
    void badBlocksAre400s() {
        assertEquals(List.of("ip"), fields(() -> resource.block(node("{\"ip\":\"nope\"}"))));
        assertEquals(List.of("ip"), fields(() -> resource.block(node("{\"ip\":\"10.0.0.0/8\"}"))));
        assertEquals(List.of("ip"), fields(() -> resource.block(node("{\"ip\":\"127.0.0.1\"}"))));
        assertEquals(List.of("ip"), fields(() -> resource.block(node("{\"ip\":\"192.0.2.50\"}"))));
        assertEquals(
                List.of("serviceId"),
                fields(() -> resource.block(node("{\"ip\":\"127.0.0.8\",\"scope\":\"service\"}"))));
        assertEquals(
                Set.of("scope", "ttlSeconds", "action", "x"),
                Set.copyOf(
                        fields(
                                () -> resource.block(
                                        node(
                                                "{\"ip\":\"127.0.0.8\",\"scope\":\"planet\",\"ttlSeconds\":1,\"action\":\"smite\",\"x\":1}")))));
        assertEquals(List.of("body"), fields(() -> resource.block(node("[1]"))));
        assertEquals(List.of("ip"), fields(() -> resource.unblock("x\u0000", null)));
        assertEquals(List.of("serviceId"), fields(() -> resource.unblock("127.0.0.8", "nope")));
    }

    @Test
    void settingsAreValidated() throws Exception {
        JsonNode s = resource.settings();
        assertEquals("shadow", s.path("mode").asText());
        assertEquals(
                List.of("mode", "detectors.flood.threshold"),
                fields(() -> resource.putSettings(
                        node("{\"mode\":\"x\",\"detectors\":{\"flood\":{\"threshold\":\"many\"}}}"))));
        JsonNode put = resource.putSettings(node("{\"mode\":\"enforce\",\"allow\":[\"10.0.0.0/8\"]}"));
        assertEquals("enforce", put.path("mode").asText());
        assertEquals("enforce", resource.settings().path("mode").asText());
        resource.putSettings(node("{}"));
    }

    @Test
    void replaysPlainAndGzip() throws Exception {
        TrafficGenerator.Traffic t = new TrafficGenerator(3, 0.1, 300).generate();
        StringBuilder log = new StringBuilder();
        t.requests().forEach(r -> log.append(TrafficGenerator.json(r)).append('\n'));
        byte[] plain = log.toString().getBytes(StandardCharsets.UTF_8);
        ObjectNode a = resource.replay(new ByteArrayInputStream(plain), null);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        ObjectNode b = resource.replay(new ByteArrayInputStream(gz.toByteArray()), "gzip");
        assertEquals(t.requests().size(), a.path("lines").asLong());
        assertEquals(a.path("blocked"), b.path("blocked"));
        assertTrue(a.path("blocked").size() > 0);
        JsonNode first = a.path("blocked").get(0);
        assertTrue(first.has("ip") && first.has("detector") && first.has("line") && first.has("reason"));
        assertEquals(List.of("body"), fields(() -> {
            try {
                resource.replay(new ByteArrayInputStream(plain), "gzip");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertEquals(List.of("Content-Encoding"), fields(() -> {
            try {
                resource.replay(new ByteArrayInputStream(plain), "br");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    private static JsonNode node(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
