package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The pages module's maintenance ({@code extensions.pages.maintenance}) through a real nginx (ports 19100–19119):
 * 503 with the site's 503 page (its problem+json for {@code Accept: application/json}) and Retry-After for every
 * client but the allowlisted ones, which reach the upstream; switched on and off without a reload.
 */
class MaintenanceIT extends WithNginx {
    static final int HTTP = 19100;
    static final int ADMIN = 19102;

    private Backend a;

    MaintenanceIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        a = backend("A", 19105);
    }

    @Test
    void maintenanceAnswers503WithRetryAfterToAllButTheAllowlist() throws Exception {
        Specs.Service s = Specs.service("m1", "m.test", a.port);
        ObjectNode page = s.site.putArray("errorPages")
                .addObject()
                .put("contentType", "text/html; charset=utf-8")
                .put("body", "<h1>maintenance \"soon\" {}</h1>");
        page.putArray("statuses").add(503);
        driver.apply(1, Specs.spec(s));
        assertTrue(get("127.0.0.1").endsWith("\r\n\r\nA"), "served before");
        long reloads = driver.status().path("nginx").path("reloads").asLong();

        driver.apply(2, withMaintenance(Specs.spec(s), "127.0.0.2/32", 120));
        String blocked = get("127.0.0.1");
        assertTrue(blocked.startsWith("HTTP/1.1 503"), blocked);
        assertTrue(blocked.contains("\r\nRetry-After: 120\r\n"), blocked);
        assertTrue(blocked.endsWith("<h1>maintenance \"soon\" {}</h1>"), blocked);
        assertTrue(blocked.toLowerCase().contains("content-type: text/html; charset=utf-8"), blocked);
        String json = get("127.0.0.1", "application/json");
        assertTrue(json.startsWith("HTTP/1.1 503"), json);
        assertTrue(json.contains("\r\nContent-Type: application/problem+json\r\n"), json);
        assertTrue(json.contains("\r\nRetry-After: 120\r\n"), json);
        assertTrue(json.endsWith("{\"status\":503,\"title\":\"Service Unavailable\"}"), json);
        String allowed = get("127.0.0.2");
        assertTrue(allowed.startsWith("HTTP/1.1 200") && allowed.endsWith("A"), allowed);
        assertFalse(allowed.contains("Retry-After"), allowed);
        assertEquals("dynamic", driver.status().path("nginx").path("applyMode").asText());

        driver.apply(3, Specs.spec(s));
        String back = get("127.0.0.1");
        assertTrue(back.startsWith("HTTP/1.1 200") && back.endsWith("A"), back);
        assertEquals(reloads, driver.status().path("nginx").path("reloads").asLong(), "no reload");

        ObjectNode bad = withMaintenance(Specs.spec(s), "127.0.0.2; deny", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> driver.apply(4, bad));
        assertTrue(e.getMessage().contains("sites[0].maintenance.allow[0]"), e.getMessage());
        assertTrue(get("127.0.0.1").endsWith("A"), "the previous routing keeps serving");
    }

    private static ObjectNode withMaintenance(ObjectNode spec, String allow, int retryAfter) {
        ObjectNode m = spec.putObject("extensions")
                .putObject("pages")
                .putObject("maintenance")
                .putObject("m1");
        m.putArray("allow").add(allow);
        m.put("retryAfterSeconds", retryAfter);
        ((ObjectNode) spec.path("extensions").path("pages"))
                .putObject("problems")
                .putObject("m1")
                .put("503", "{\"status\":503,\"title\":\"Service Unavailable\"}");
        return spec;
    }

    /** A GET from a given loopback client address. */
    private static String get(String from) throws IOException {
        return get(from, "text/html");
    }

    private static String get(String from, String accept) throws IOException {
        return Http.rawFrom(from, HTTP, "GET / HTTP/1.0\r\nHost: m.test\r\nAccept: " + accept + "\r\n\r\n");
    }
}
