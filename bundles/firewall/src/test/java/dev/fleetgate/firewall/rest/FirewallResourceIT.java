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
import dev.fleetgate.firewall.internal.FirewallReports;
import dev.fleetgate.firewall.internal.FirewallService;
import dev.fleetgate.firewall.internal.Fixtures;
import dev.fleetgate.persistence.testing.TestDatabase;

/** The REST resource's input checks and answers (no HTTP: the methods as Jersey calls them). */
class FirewallResourceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static FirewallResource resource;
    private static FirewallReports reports;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        FirewallService firewall =
                Fixtures.service(Fixtures.store(db), new ArrayList<>(), new ArrayList<>(), Instant::now);
        reports = new FirewallReports(firewall);
        resource = new FirewallResource(firewall, reports);
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
        ObjectNode challenged =
                (ObjectNode) resource.block(JSON.readTree("{\"ip\":\"127.0.0.78\",\"action\":\"challenge\"}"))
                        .getEntity();
        assertEquals("challenge", challenged.path("action").asText());
        assertEquals(204, resource.unblock("127.0.0.78", null).getStatus());
        ApiException gone = assertThrows(ApiException.class, () -> resource.unblock("127.0.0.77", null));
        assertEquals(404, gone.status());
    }

    @Test
    void addressesAreCanonical() throws Exception {
        ObjectNode b = (ObjectNode) resource.block(JSON.readTree("{\"ip\":\"2001:DB8:0:0:0:0:0:5\"}"))
                .getEntity();
        assertEquals("2001:db8::5", b.path("ip").asText());
        assertTrue(resource.blocks().toString().contains("\"2001:db8::5\""));
        assertEquals(204, resource.unblock("2001:0db8:0::0005", null).getStatus(), "the same client written otherwise");
        ObjectNode mapped = (ObjectNode) resource.block(JSON.readTree("{\"ip\":\"::ffff:198.51.100.9\"}"))
                .getEntity();
        assertEquals("198.51.100.9", mapped.path("ip").asText());
        assertEquals(204, resource.unblock("198.51.100.9", null).getStatus());
        // the core's own loopback address written as a mapped IPv6 address is still never blocked
        assertEquals(List.of("ip"), fields(() -> resource.block(node("{\"ip\":\"::ffff:127.0.0.1\"}"))));
        JsonNode put =
                resource.putSettings(node("{\"allow\":[\"::ffff:10.0.0.0/104\",\"2001:DB8:0:0::/64\",\"010.1.2.3\"]}"));
        assertEquals(
                "[\"10.0.0.0/8\",\"2001:db8::/64\",\"10.1.2.3\"]",
                put.path("allow").toString());
        assertEquals(
                List.of("allow[0]"), fields(() -> resource.putSettings(node("{\"allow\":[\"::ffff:10.0.0.0/64\"]}"))));
        resource.putSettings(node("{}"));
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
    void topClientsAreSummedOverAgents() throws Exception {
        String svc = "11111111-2222-3333-4444-555555555555";
        reports.acceptTop(
                "a1",
                node("[{\"serviceId\":\"" + svc + "\",\"clients\":["
                        + "{\"ip\":\"127.0.0.9\",\"requests\":40,\"errors\":40},"
                        + "{\"ip\":\"2001:DB8:0:0:0:0:0:1\",\"requests\":5,\"errors\":0},"
                        + "{\"ip\":\"nope\",\"requests\":5,\"errors\":0},"
                        + "{\"ip\":\"127.0.0.11\",\"requests\":5,\"errors\":6}]},"
                        + "{\"serviceId\":\"not-a-uuid\",\"clients\":[{\"ip\":\"127.0.0.12\",\"requests\":1}]},"
                        + "{\"clients\":[{\"ip\":\"127.0.0.13\",\"requests\":2,\"errors\":0}]}]"));
        reports.acceptTop(
                "a2",
                node("[{\"serviceId\":\"" + svc + "\",\"clients\":["
                        + "{\"ip\":\"2001:db8::1\",\"requests\":50,\"errors\":1}]}]"));
        JsonNode all = resource.topClients(null, null);
        assertEquals(2, all.size(), all.toString());
        JsonNode one = resource.topClients(svc, "2");
        assertEquals(1, one.size());
        assertEquals(svc, one.get(0).path("serviceId").asText());
        JsonNode clients = one.get(0).path("clients");
        assertEquals(2, clients.size(), clients.toString());
        assertEquals("2001:db8::1", clients.get(0).path("ip").asText()); // one client written two ways
        assertEquals(55, clients.get(0).path("requests").asLong());
        assertEquals(2, clients.get(0).path("agents").asInt());
        assertEquals("127.0.0.9", clients.get(1).path("ip").asText());
        JsonNode none = all.get(0).path("serviceId").isNull() ? all.get(0) : all.get(1);
        assertEquals("127.0.0.13", none.path("clients").get(0).path("ip").asText());
        assertEquals(List.of("serviceId", "limit"), fields(() -> resource.topClients("x", "0")));
        assertEquals(List.of("limit"), fields(() -> resource.topClients(null, "many")));
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
