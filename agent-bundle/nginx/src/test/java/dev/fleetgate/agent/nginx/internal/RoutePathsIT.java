package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * The three kinds of site a request can meet (ports 23540–23549): a plain site, a site with an access rule and a site
 * with a response header (its requests are sent on to {@code @fleetgate_filtered}). Each keeps the request's method
 * and body, the access log names the service, and a body over the site's limit gets 413.
 */
class RoutePathsIT {
    static final int HTTP = 23540;
    static final int ADMIN = 23541;
    static final int UPSTREAM = 23545;

    @TempDir
    Path work;

    private ProxyDriver driver;
    private HttpServer echo;
    private ExecutorService executor;

    @BeforeEach
    void start() throws Exception {
        // answers "<method> <body length> <sha-less checksum>" of what it received
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", UPSTREAM), 64);
        executor = Executors.newFixedThreadPool(4);
        echo.setExecutor(executor);
        echo.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            byte[] out = (exchange.getRequestMethod() + " " + in.length + " " + Arrays.hashCode(in))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        echo.start();
        driver = new ProxyDriver(Specs.settings(work.resolve("nginx"), HTTP, ADMIN), () -> {});
        driver.start();
    }

    @AfterEach
    void stop() throws Exception {
        driver.stopNginx();
        driver.close();
        echo.stop(0);
        executor.shutdownNow();
    }

    @Test
    void everyPathKeepsTheMethodAndTheBody() throws Exception {
        Specs.Service plain = Specs.service("plain", "plain.test", UPSTREAM);
        Specs.Service ruled = Specs.service("ruled", "ruled.test", UPSTREAM);
        ruled.site.putArray("accessRules").addObject().put("action", "allow").put("source", "127.0.0.0/8");
        Specs.Service filtered = Specs.service("filtered", "filtered.test", UPSTREAM);
        filtered.site.putObject("responseHeaders").put("X-Filtered", "yes");
        driver.apply(1, Specs.spec(plain, ruled, filtered));

        byte[] small = "hello, upstream".getBytes(StandardCharsets.UTF_8);
        byte[] large = new byte[300_000]; // beyond the client body buffer: through a temp file
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }
        try (LogTailer tailer = new LogTailer(driver.settings().accessLog(), true, 1000)) {
            tailer.poll();
            for (String host : List.of("plain.test", "ruled.test", "filtered.test")) {
                for (byte[] body : List.of(small, large)) {
                    Http.Reply r = Http.post(HTTP, host, "/x", body);
                    assertEquals(200, r.status(), host);
                    assertEquals("POST " + body.length + " " + Arrays.hashCode(body), r.body(), host);
                }
                assertEquals("GET 0 1", Http.get(HTTP, host, "/x").body(), host);
            }
            assertTrue(Http.raw(HTTP, "filtered.test", "/").contains("X-Filtered: yes"), "the filters ran");
            assertTrue(!Http.raw(HTTP, "plain.test", "/").contains("X-Filtered"));
            List<dev.fleetgate.agent.AccessLogEntry> entries = new ArrayList<>();
            Await.until("the access log entries", Duration.ofSeconds(10), () -> {
                try {
                    tailer.poll().stream().map(AccessLogParser::parse).forEach(entries::add);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
                return entries.size() >= 11;
            });
            List<String> services = entries.stream()
                    .map(e -> e.method() + " " + e.host() + " " + e.serviceId() + " " + e.status())
                    .toList();
            assertEquals(
                    List.of(
                            "POST plain.test plain 200",
                            "POST plain.test plain 200",
                            "GET plain.test plain 200",
                            "POST ruled.test ruled 200",
                            "POST ruled.test ruled 200",
                            "GET ruled.test ruled 200",
                            "POST filtered.test filtered 200",
                            "POST filtered.test filtered 200",
                            "GET filtered.test filtered 200",
                            "GET filtered.test filtered 200",
                            "GET plain.test plain 200"),
                    services.subList(0, 11));
        }
        // a body above the site's limit gets the site's 413
        plain.site.put("maxBodyBytes", 1000);
        driver.apply(2, Specs.spec(plain, ruled, filtered));
        assertEquals(413, Http.post(HTTP, "plain.test", "/x", large).status());
        assertEquals(
                "POST 15 " + Arrays.hashCode(small),
                Http.post(HTTP, "plain.test", "/x", small).body());
    }
}
