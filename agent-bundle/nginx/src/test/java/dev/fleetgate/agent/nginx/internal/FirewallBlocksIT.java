package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The firewall module's blocks ({@code firewall-blocks} section) through a real nginx (ports 22030–22039): 403 for a
 * fleet-wide block, 429 for a service's limit, other clients served, removal and expiry, no reload, and the blocks
 * restored by a new nginx master from their 0600 file.
 */
class FirewallBlocksIT extends WithNginx {
    static final int HTTP = 22030;
    static final int ADMIN = 22032;
    static final String SVC = "11111111-2222-3333-4444-555555555555";

    private Backend a;
    private NginxSettings settings;

    FirewallBlocksIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        a = backend("A", 22035);
        settings = driver.settings();
        driver.apply(1, Specs.spec(Specs.service(SVC, "f.test", a.port)));
    }

    private static ObjectNode blocks(Object[]... entries) {
        ObjectNode body = Spec.JSON.createObjectNode();
        ArrayNode list = body.putArray("blocks");
        for (Object[] e : entries) {
            ObjectNode b = list.addObject()
                    .put("ip", (String) e[0])
                    .put("action", (String) e[1])
                    .put("expiresAt", System.currentTimeMillis() / 1000 + (Integer) e[2]);
            if (e.length > 3) {
                b.put("serviceId", (String) e[3]);
            }
        }
        return body;
    }

    @Test
    void blocksAndLimitsWithoutReloadAndSurviveARestart() throws Exception {
        assertEquals(200, get("127.0.0.9"));
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        FirewallBlocksApplier applier = new FirewallBlocksApplier(settings);
        applier.apply(
                2,
                blocks(
                        new Object[] {"127.0.0.9", "block", 600},
                        new Object[] {"127.0.0.8", "limit", 600, SVC},
                        new Object[] {"127.0.0.7", "block", 600, "00000000-0000-0000-0000-000000000000"}));
        assertEquals(403, get("127.0.0.9"));
        assertEquals(429, get("127.0.0.8"));
        assertEquals(200, get("127.0.0.7"), "blocked on another service only");
        assertEquals(200, get("127.0.0.1"));
        assertEquals(3, applier.status().path("blocks").asInt());
        assertTrue(applier.status().path("loaded").asBoolean());
        Path file = settings.workDir().resolve(FirewallBlocksApplier.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(reloads, driver.status().path("nginx").path("reloads").asLong(), "no reload");

        // refused requests are counted per service and status
        java.util.List<String> samples = new java.util.ArrayList<>();
        applier.collect(new dev.fleetgate.agent.sdk.MetricSink() {
            @Override
            public void gauge(String name, double value, String... labels) {
                samples.add(name + String.join(",", labels) + "=" + (long) value);
            }

            @Override
            public void sample(String name, java.util.Map<String, String> labels, double value) {
                samples.add(name + labels + "=" + (long) value);
            }
        });
        assertTrue(
                samples.contains("firewall_blocked_requests_totalservice," + SVC + ",status,403=1"),
                samples.toString());
        assertTrue(
                samples.contains("firewall_blocked_requests_totalservice," + SVC + ",status,429=1"),
                samples.toString());

        // a new nginx master (agent and nginx restarted) restores the blocks from the file
        driver.stopNginx();
        driver.close();
        driver = new ProxyDriver(settings, () -> {});
        driver.start();
        assertEquals(403, get("127.0.0.9"));
        assertEquals(429, get("127.0.0.8"));

        // the next list replaces it: unblocked, and a block that expires
        applier.apply(3, blocks(new Object[] {"127.0.0.6", "block", 1}));
        assertEquals(200, get("127.0.0.9"));
        assertEquals(200, get("127.0.0.8"));
        assertEquals(403, get("127.0.0.6"));
        Thread.sleep(2100); // the shared dict expires the key with the block
        assertEquals(200, get("127.0.0.6"));
    }

    @Test
    void malformedBlocksAreRefused() throws Exception {
        FirewallBlocksApplier applier = new FirewallBlocksApplier(settings);
        assertThrows(
                IllegalArgumentException.class,
                () -> applier.apply(2, blocks(new Object[] {"127.0.0.9; deny", "block", 60})));
        assertThrows(
                IllegalArgumentException.class,
                () -> applier.apply(2, blocks(new Object[] {"127.0.0.9", "smite", 60})));
        assertEquals(200, get("127.0.0.9"));
    }

    /** @return the status of a GET from a given loopback client address */
    private static int get(String from) throws IOException {
        return Http.statusFrom(from, HTTP, "GET / HTTP/1.0\r\nHost: f.test\r\n\r\n");
    }
}
