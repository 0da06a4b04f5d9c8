package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;

/**
 * The scaling module's scale to zero ({@code extensions.scaling.wake}) through a real nginx (ports 22650–22659): a
 * request to a site without a peer is held, the agent sees the wake ({@code GET /wakes}), and the request is
 * forwarded once an endpoint appears (never a 502); beyond the bound 503 with Retry-After at once; past
 * {@code startingPageAfterMs} the site's 503 page with Retry-After. No reload.
 */
class ScaleToZeroIT extends WithNginx {
    static final int HTTP = 22650;
    static final int ADMIN = 22652;
    static final Duration WAIT = Duration.ofSeconds(20);

    private Backend a;

    ScaleToZeroIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        a = backend("A", 22655);
    }

    private static ObjectNode spec(int maxHeld, int startingPageAfterMs) {
        Specs.Service s = Specs.service("z1", "z.test");
        ObjectNode page = s.site.putArray("errorPages")
                .addObject()
                .put("contentType", "text/html; charset=utf-8")
                .put("body", "<h1>starting</h1>");
        page.putArray("statuses").add(503);
        ObjectNode spec = Specs.spec(s, Specs.service("plain", "plain.test"));
        ((ObjectNode) spec.get("extensions"))
                .putObject("scaling")
                .putObject("wake")
                .putObject("z1")
                .put("maxHeld", maxHeld)
                .put("startingPageAfterMs", startingPageAfterMs)
                .put("retryAfterSeconds", 7);
        return spec;
    }

    private List<String> awaitWake() {
        List<String> seen = new ArrayList<>();
        Await.until("a wake of z1", WAIT, () -> {
            try {
                seen.addAll(driver.wakes());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return seen.contains("z1");
        });
        return seen;
    }

    @Test
    void aHeldRequestWakesTheServiceAndIsForwardedOnceAnEndpointIsReady() throws Exception {
        driver.apply(1, spec(100, 8000));
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        assertEquals(List.of(), driver.wakes(), "nothing held yet");

        List<CompletableFuture<Http.Reply>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(CompletableFuture.supplyAsync(() -> Http.get(HTTP, "z.test", "/")));
        }
        assertEquals(List.of("z1"), awaitWake().stream().distinct().toList());
        assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "held while no endpoint is ready");

        driver.endpoints(Map.of("z1", List.of(new Endpoint("c1", "127.0.0.1", a.port, 1))));
        for (CompletableFuture<Http.Reply> f : held) {
            Http.Reply r = f.get();
            assertEquals(200, r.status(), r.body());
            assertEquals("A", r.body());
        }
        // a site without "wake" and no peer still answers 503 at once (nothing held, no wake)
        assertEquals(503, Http.get(HTTP, "plain.test", "/").status());
        assertEquals(reloads, driver.status().path("nginx").path("reloads").asLong(), "no reload");
    }

    @Test
    void beyondTheBoundA503WithRetryAfterAtOnce() throws Exception {
        driver.apply(1, spec(2, 8000));
        List<CompletableFuture<String>> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(CompletableFuture.supplyAsync(() -> Http.raw(HTTP, "z.test", "/")));
        }
        Await.until("the request beyond the bound answered", WAIT, () -> requests.stream()
                .anyMatch(CompletableFuture::isDone));
        driver.endpoints(Map.of("z1", List.of(new Endpoint("c1", "127.0.0.1", a.port, 1))));
        List<String> refused = new ArrayList<>();
        int ok = 0;
        for (CompletableFuture<String> f : requests) {
            String r = f.get();
            if (r.startsWith("HTTP/1.1 200")) {
                ok++;
            } else {
                refused.add(r);
            }
        }
        assertEquals(2, ok, refused.toString());
        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.get(0).startsWith("HTTP/1.1 503"), refused.get(0));
        assertTrue(refused.get(0).contains("\r\nRetry-After: 7\r\n"), refused.get(0));
    }

    @Test
    void pastStartingPageAfterMsTheStartingPageWithRetryAfter() throws Exception {
        driver.apply(1, spec(100, 300));
        String r = Http.raw(HTTP, "z.test", "/");
        assertTrue(r.startsWith("HTTP/1.1 503"), r);
        assertTrue(r.contains("\r\nRetry-After: 7\r\n"), r);
        assertTrue(r.endsWith("<h1>starting</h1>"), r);
        assertTrue(awaitWake().contains("z1"), "the wake was asked for all the same");
    }

    @Test
    void aWakeEntryWithBadValuesIsRefused() throws Exception {
        ObjectNode bad = spec(0, 8000);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> driver.apply(1, bad));
        assertTrue(e.getMessage().contains("sites[0].wake.maxHeld"), e.getMessage());
    }
}
