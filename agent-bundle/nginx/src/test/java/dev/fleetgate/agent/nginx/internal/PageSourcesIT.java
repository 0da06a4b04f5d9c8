package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

/**
 * The pages module's routing data through a real nginx (ports 22500–22519): a page replaces the answers nginx made
 * itself (refused connection → 502, no healthy target → 503, timeout → 504) but an upstream's own 502 passes through
 * unless the site lists 502 in {@code upstreamStatuses}; {@code $request_id} in pages and problem+json; the
 * fallback page of an unknown Host (HTML and JSON); all without a reload.
 */
class PageSourcesIT extends WithNginx {
    static final int HTTP = 22500;
    static final int ADMIN = 22502;
    static final int UPSTREAM = 22505;
    static final int NOTHING = 22506;
    private static final Pattern RID = Pattern.compile("rid=([0-9a-f]{32})");

    private HttpServer upstream;
    private ExecutorService executor;

    PageSourcesIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", UPSTREAM), 64);
        executor = Executors.newFixedThreadPool(4);
        upstream.setExecutor(executor);
        closeAfter(() -> {
            upstream.stop(0);
            executor.shutdownNow();
        });
        upstream.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/slow")) {
                try {
                    Thread.sleep(2500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean own = path.equals("/own502");
            byte[] body = (own ? "own 502" : "A").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(own ? 502 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
    }

    @Test
    void nginxErrorsAreReplacedUpstreamErrorsPassUnlessListed() throws Exception {
        driver.apply(1, spec(new int[0], true));
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        assertEquals("A", get("p1.test", "/", "text/html").body);

        Reply own = get("p1.test", "/own502", "text/html");
        assertEquals(502, own.status, own.body);
        assertEquals("own 502", own.body, "the upstream's own 502 passes through");

        Reply refused = get("p2.test", "/", "text/html");
        assertEquals(502, refused.status, refused.body);
        assertTrue(refused.body.startsWith("page 502 p2 rid="), refused.body);

        Reply none = get("p3.test", "/", "text/html");
        assertEquals(503, none.status, none.body);
        assertTrue(none.body.startsWith("page 503 p3 rid="), "no healthy target: " + none.body);

        Reply slow = get("p1.test", "/slow", "text/html");
        assertEquals(504, slow.status, slow.body);
        assertTrue(slow.body.startsWith("page 504 p1 rid="), "timeout: " + slow.body);

        driver.apply(2, spec(new int[] {502}, true));
        Reply replaced = get("p1.test", "/own502", "text/html");
        assertEquals(502, replaced.status, replaced.body);
        assertTrue(replaced.body.startsWith("page 502 p1 rid="), "listed: " + replaced.body);
        assertEquals("A", get("p1.test", "/", "text/html").body);
        assertEquals(reloads, driver.status().path("nginx").path("reloads").asLong(), "no reload");
    }

    @Test
    void theRequestIdIsInPagesAndProblems() throws Exception {
        driver.apply(1, spec(new int[0], true));
        Reply a = get("p2.test", "/", "text/html");
        Reply b = get("p2.test", "/", "text/html");
        String ridA = rid(a.body);
        assertNotEquals(ridA, rid(b.body), "one id per request");
        assertEquals(
                a.body.length(), Integer.parseInt(a.header("content-length")), "Content-Length of the page as sent");
        Reply json = get("p2.test", "/", "application/json");
        assertEquals(502, json.status);
        assertEquals("application/problem+json", json.header("content-type"));
        assertTrue(json.body.matches("\\{\"status\":502,\"requestId\":\"[0-9a-f]{32}\"}"), json.body);
    }

    @Test
    void anUnknownHostGetsTheFallbackPage() throws Exception {
        driver.apply(1, spec(new int[0], false));
        Reply plain = get("nobody.test", "/", "text/html");
        assertEquals(404, plain.status);
        assertEquals("404 unknown host\n", plain.body, "no fallback: nginx's plain answer");
        long reloads = driver.status().path("nginx").path("reloads").asLong();

        driver.apply(2, spec(new int[0], true));
        Reply html = get("nobody.test", "/", "text/html");
        assertEquals(404, html.status);
        assertTrue(html.header("content-type").startsWith("text/html"), html.headers);
        assertTrue(html.body.startsWith("<h1>404 unknown</h1> rid="), html.body);
        rid(html.body);
        Reply json = get("nobody.test", "/x", "application/json");
        assertEquals(404, json.status);
        assertEquals("application/problem+json", json.header("content-type"));
        assertTrue(json.body.startsWith("{\"status\":404,\"requestId\":\""), json.body);
        assertEquals("A", get("p1.test", "/", "text/html").body, "known hosts are served as before");
        assertEquals(reloads, driver.status().path("nginx").path("reloads").asLong(), "no reload");

        ObjectNode bad = spec(new int[] {700}, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> driver.apply(3, bad));
        assertTrue(e.getMessage().contains("upstreamStatuses[0]"), e.getMessage());
    }

    /** p1 (the upstream), p2 (a refused port), p3 (no target), each with pages 502–504 naming the request id. */
    private static ObjectNode spec(int[] upstreamStatuses, boolean fallback) {
        Specs.Service p1 = Specs.service("p1", "p1.test", UPSTREAM);
        p1.site
                .putObject("timeouts")
                .put("connectSeconds", 5)
                .put("readSeconds", 1)
                .put("sendSeconds", 60);
        Specs.Service p2 = Specs.service("p2", "p2.test", NOTHING);
        Specs.Service p3 = Specs.service("p3", "p3.test").targets();
        ObjectNode spec = Specs.spec(p1, p2, p3);
        ObjectNode pages = spec.putObject("extensions").putObject("pages");
        ObjectNode allProblems = pages.putObject("problems");
        ObjectNode allUpstream = pages.putObject("upstream");
        for (Specs.Service s : new Specs.Service[] {p1, p2, p3}) {
            ArrayNode errorPages = s.site.putArray("errorPages");
            ObjectNode problems = allProblems.putObject(s.id);
            for (int status : new int[] {502, 503, 504}) {
                errorPages
                        .addObject()
                        .put("contentType", "text/plain")
                        .put("body", "page " + status + " " + s.id + " rid=__FLEETGATE_REQUEST_ID__")
                        .putArray("statuses")
                        .add(status);
                problems.put(
                        String.valueOf(status),
                        "{\"status\":" + status + ",\"requestId\":\"__FLEETGATE_REQUEST_ID__\"}");
            }
            ArrayNode u = allUpstream.putArray(s.id);
            for (int status : upstreamStatuses) {
                u.add(status);
            }
        }
        if (fallback) {
            pages.putObject("fallback")
                    .put("html", "<h1>404 unknown</h1> rid=__FLEETGATE_REQUEST_ID__")
                    .put("problem", "{\"status\":404,\"requestId\":\"__FLEETGATE_REQUEST_ID__\"}");
        }
        return spec;
    }

    private static String rid(String body) {
        Matcher m = RID.matcher(body);
        assertTrue(m.find(), "a request id in " + body);
        return m.group(1);
    }

    private record Reply(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }
    }

    private static Reply get(String host, String path, String accept) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", HTTP), 2000);
            s.setSoTimeout(15_000);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nAccept: " + accept + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return new Reply(Integer.parseInt(text.split(" ", 3)[1]), text.substring(0, end), text.substring(end + 4));
        }
    }
}
