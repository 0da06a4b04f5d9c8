package dev.fleetgate.agent.metrics.internal.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.agent.metrics.internal.Captured;

/** Scrapes of a real HTTP server on loopback. */
class ScraperTest {

    private final Scraper scraper = new Scraper(new ObjectMapper());
    private HttpServer server;
    private MetricsSection.Target target;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve("/status", "{\"cpu\": 60, \"mem\": \"30%\", \"disk\": \"43%\", \"uptime\": \"1d 2h\"}", 200);
        serve(
                "/metrics",
                "# TYPE jobs_total counter\njobs_total{queue=\"mail\",service=\"theirs\"} 42\nup 1\n"
                        + "errors_total{msg=\"line\\none\"} 2\n",
                200);
        serve("/broken", "oops", 500);
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        target = new MetricsSection.Target("127.0.0.1", server.getAddress().getPort());
    }

    private void serve(String path, String body, int status) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static MetricsSection.Scrape scrape(String format, String path) {
        return new MetricsSection.Scrape("svc-1", "shop", format, path, 10, List.of());
    }

    @Test
    void jsonValuesBecomeCustomSeriesWithServiceAndTarget() {
        Captured out = new Captured();
        Scraper.Outcome outcome = scraper.scrape(scrape("json", "/status"), target, out);
        assertTrue(outcome.up());
        assertEquals(4, outcome.samples());
        Map<String, String> labels = Map.of("service", "svc-1", "target", target.toString());
        assertEquals(60, out.get("custom_cpu", labels));
        assertEquals(30, out.get("custom_mem", labels));
        assertEquals(43, out.get("custom_disk", labels));
        assertEquals(93600, out.get("custom_uptime", labels));
        assertEquals(1, out.get("scrape_up", labels));
        assertEquals(4, out.get("scrape_samples", labels));
    }

    @Test
    void prometheusSamplesKeepTheirLabelsAndRenameClashes() {
        Captured out = new Captured();
        Scraper.Outcome outcome = scraper.scrape(scrape("prometheus", "/metrics"), target, out);
        assertTrue(outcome.up(), String.valueOf(outcome.error()));
        assertEquals(
                42, out.get("jobs_total", Map.of("queue", "mail", "exported_service", "theirs", "service", "svc-1")));
        assertEquals(1, out.get("up", Map.of("service", "svc-1", "target", target.toString())));
        assertEquals(
                2,
                out.get("errors_total", Map.of("msg", "line one")),
                "control characters the core refuses become spaces");
    }

    @Test
    void failuresAreReportedAsScrapeUpZero() throws Exception {
        Captured out = new Captured();
        Scraper.Outcome outcome = scraper.scrape(scrape("json", "/broken"), target, out);
        assertFalse(outcome.up());
        assertTrue(outcome.error().contains("HTTP 500"), outcome.error());
        assertEquals(0, out.get("scrape_up"));

        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Scraper.Outcome refused =
                scraper.scrape(scrape("json", "/status"), new MetricsSection.Target("127.0.0.1", closed), out);
        assertFalse(refused.up());
        Scraper.Outcome notJson = scraper.scrape(scrape("json", "/metrics"), target, new Captured());
        assertFalse(notJson.up(), "Prometheus text is not JSON");
    }

    @Test
    void linkLocalAndMetadataTargetsAreRefusedAndRedirectsAreNotFollowed() {
        for (String host : List.of("169.254.169.254", "169.254.10.1", "fe80::1", "100.100.100.200", "fd00:ec2::254")) {
            Captured out = new Captured();
            Scraper.Outcome o = scraper.scrape(scrape("json", "/status"), new MetricsSection.Target(host, 80), out);
            assertFalse(o.up(), host);
            assertTrue(o.error().startsWith("refused: "), o.error());
            assertEquals(0, out.get("scrape_up"));
        }
        Scraper.Outcome moved = scraper.scrape(scrape("json", "/moved"), target, new Captured());
        assertFalse(moved.up());
        assertTrue(
                moved.error().contains("HTTP 302"),
                "the redirect to the metadata address is not followed: " + moved.error());
    }
}
