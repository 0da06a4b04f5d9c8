package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The firewall's third action through a real nginx (ports 22770–22779): a challenged client gets a page whose
 * script sets a cookie bound to its address; headless Chromium (a real browser) runs it and reaches the site, a
 * client without JavaScript never does, and the cookie neither works from another address nor when forged.
 */
class FirewallChallengeIT extends WithNginx {
    static final int HTTP = 22770;
    static final int ADMIN = 22772;
    private static final Pattern TOKEN = Pattern.compile("\"fleetgate_fw=\"\\+\"([^\"]+)\"");

    private Backend backend;

    FirewallChallengeIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        backend = backend("challenge-backend", 22775);
        driver.apply(1, Specs.spec(Specs.service("11111111-2222-3333-4444-555555555555", "ch.test", backend.port)));
        ObjectNode body = Spec.JSON.createObjectNode();
        ArrayNode blocks = body.putArray("blocks");
        for (String ip : new String[] {"127.0.0.1", "127.0.0.9", "127.0.0.8"}) {
            blocks.addObject()
                    .put("ip", ip)
                    .put("action", "challenge")
                    .put("expiresAt", System.currentTimeMillis() / 1000 + 600);
        }
        new FirewallBlocksApplier(driver.settings()).apply(2, body);
    }

    @Test
    void withoutScriptNoWayInWithTheCookieOfItsOwnAddress() throws Exception {
        String page = get("127.0.0.9", null);
        assertTrue(page.startsWith("HTTP/1.1 403"), page);
        assertTrue(page.contains("Checking your browser"), page);
        assertEquals(0, backend.requests.get(), "a challenged client reaches nothing");
        Matcher m = TOKEN.matcher(page);
        assertTrue(m.find(), page);
        String cookie = new StringBuilder(m.group(1)).reverse().toString(); // what the page's script does
        assertTrue(get("127.0.0.9", cookie).startsWith("HTTP/1.1 200"), "the cookie lets the client in");
        assertEquals(1, backend.requests.get());
        assertTrue(get("127.0.0.8", cookie).startsWith("HTTP/1.1 403"), "bound to the address it was made for");
        String forged = cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("A") ? "BB" : "AA");
        assertTrue(get("127.0.0.9", forged).startsWith("HTTP/1.1 403"), "a forged cookie");
        long later = System.currentTimeMillis() / 1000 + 7200;
        assertTrue(
                get("127.0.0.9", later + cookie.substring(cookie.indexOf('.'))).startsWith("HTTP/1.1 403"));
        assertTrue(get("127.0.0.7", null).startsWith("HTTP/1.1 200"), "other clients are not challenged");
    }

    @Test
    void aBrowserPasses() throws Exception {
        Path web = Path.of(System.getProperty("fleetgate.root", "../.."))
                .toAbsolutePath()
                .normalize()
                .resolve("web");
        assertTrue(Files.isDirectory(web.resolve("node_modules/playwright-core")), "web/node_modules is missing");
        ProcessBuilder pb = new ProcessBuilder("node", "e2e/challenge.mjs")
                .directory(web.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(Map.of("E2E_URL", "http://ch.test:" + HTTP + "/", "E2E_EXPECT", backend.name));
        Process node = pb.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(out);
        assertTrue(node.waitFor(3, TimeUnit.MINUTES), "the browser did not finish");
        assertEquals(0, node.exitValue(), out);
        assertTrue(out.contains("E2E-RESULT {\"ok\":true"), out);
        assertTrue(backend.requests.get() >= 1, "the browser reached the site");
    }

    /** @return the raw answer to a GET from a loopback address, with the challenge cookie unless null */
    private static String get(String from, String cookie) throws IOException {
        return Http.rawFrom(
                from,
                HTTP,
                "GET / HTTP/1.1\r\nHost: ch.test\r\nConnection: close\r\n"
                        + (cookie == null ? "" : "Cookie: fleetgate_fw=" + cookie + "\r\n") + "\r\n");
    }
}
