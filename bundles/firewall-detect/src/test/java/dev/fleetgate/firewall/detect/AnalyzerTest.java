package dev.fleetgate.firewall.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AnalyzerTest {
    private static final long T0 = 1_764_000_000_000L;
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";

    private final List<Decision> decisions = new ArrayList<>();

    private Analyzer analyzer(Map<String, ?> settings, List<String> neverBlock) {
        Settings s = Settings.fromMap(settings, (f, m) -> {
            throw new AssertionError(f + " " + m);
        });
        return new Analyzer(s, neverBlock, decisions::add);
    }

    private static Request req(long t, String client, String method, String path, int status, String ua) {
        return new Request(T0 + t, "svc", client, method, path, status, ua, null);
    }

    /** Background: 50 people, a page and a few assets every few seconds each, for {@code seconds}. */
    private static void background(Analyzer a, int seconds) {
        for (int t = 0; t < seconds * 1000; t += 100) {
            int p = (t / 100) % 50;
            a.accept(req(t, "10.0.0." + (p + 1), "GET", "/page/" + (t % 7), 200, UA), 0);
        }
    }

    @Test
    void floodIsLimitedWithEvidence() {
        Analyzer a = analyzer(Map.of("mode", "enforce"), List.of());
        background(a, 120);
        for (int i = 0; i < 3000; i++) {
            a.accept(req(120_000 + i * 5L, "127.0.0.9", "GET", "/", 200, "ab/2.3"), 0);
        }
        assertEquals(1, decisions.size(), decisions.toString());
        Decision d = decisions.get(0);
        assertEquals("127.0.0.9", d.client());
        assertEquals("flood", d.detector());
        assertEquals("limit", d.action());
        assertTrue(d.enforce());
        assertTrue(d.score() >= 1);
        assertTrue(
                d.counts().get("requests") >= d.counts().get("threshold"),
                d.counts().toString());
        assertFalse(d.samples().isEmpty());
        assertTrue(d.samples().get(0).contains("127.0.0.9"), d.samples().toString());
    }

    @Test
    void officeBehindOneAddressIsNotAFlood() {
        Analyzer a = analyzer(Map.of("mode", "enforce"), List.of());
        // 300 people behind one address: 30 req/s over many paths and agents (threshold 1200 per 60 s)
        for (int i = 0; i < 30 * 180; i++) {
            int person = i % 300;
            a.accept(req(i * 33L, "192.0.2.10", "GET", "/p/" + (i * 7919 % 500), 200, UA + " person" + person % 40), 0);
        }
        assertEquals(List.of(), decisions);
    }

    @Test
    void scannerIsBlocked() {
        Analyzer a = analyzer(Map.of(), List.of());
        background(a, 30);
        for (int i = 0; i < 40; i++) {
            a.accept(req(30_000 + i * 200L, "127.0.0.20", "GET", "/probe" + i, 404, UA), 0);
        }
        assertEquals(1, decisions.size(), decisions.toString());
        assertEquals("scan", decisions.get(0).detector());
        assertFalse(decisions.get(0).enforce(), "shadow is the default mode");
    }

    @Test
    void bruteForceOnLoginIsBlockedButTyposAreNot() {
        Analyzer a = analyzer(Map.of("mode", "enforce"), List.of());
        for (int i = 0; i < 3; i++) {
            a.accept(req(i * 3000L, "10.1.1.1", "POST", "/login", 401, UA), 0);
        }
        a.accept(req(10_000, "10.1.1.1", "POST", "/login", 200, UA), 0);
        for (int i = 0; i < 12; i++) {
            a.accept(req(20_000 + i * 1000L, "127.0.0.30", "POST", "/wp-login.php", 401, "python-requests/2.31"), 0);
            a.accept(req(20_000 + i * 1000L, "10.1.1.2", "GET", "/login", 401, UA), 0); // not a POST
        }
        assertEquals(1, decisions.size(), decisions.toString());
        assertEquals("bruteforce", decisions.get(0).detector());
        assertEquals("127.0.0.30", decisions.get(0).client());
    }

    @Test
    void fiveHundredsOfOneClientButNotOfAnOutage() {
        Analyzer a = analyzer(Map.of(), List.of());
        // outage: everybody gets 502
        for (int t = 0; t < 60_000; t += 50) {
            a.accept(req(t, "10.0.0." + (t / 50 % 40 + 1), "GET", "/x", 502, UA), 0);
        }
        assertEquals(List.of(), decisions);
        // later, healthy service, one client provoking 500s
        for (int t = 200_000; t < 260_000; t += 50) {
            a.accept(req(t, "10.0.0." + (t / 50 % 40 + 1), "GET", "/x", 200, UA), 0);
            if (t % 1000 == 0) {
                a.accept(req(t, "127.0.0.40", "GET", "/api/export", 500, UA), 0);
            }
        }
        assertEquals(1, decisions.size(), decisions.toString());
        assertEquals("errors", decisions.get(0).detector());
    }

    @Test
    void patternsAndScannerAgents() {
        Analyzer a = analyzer(Map.of(), List.of());
        a.accept(req(0, "127.0.0.50", "GET", "/.env", 404, UA), 0);
        a.accept(req(10, "127.0.0.51", "GET", "/", 200, "sqlmap/1.7"), 0);
        a.accept(req(20, "10.0.0.1", "GET", "/blog/wp-login.php-is-a-bad-idea", 200, UA), 0); // weight 1 < 2
        assertEquals(
                List.of("127.0.0.50", "127.0.0.51"),
                decisions.stream().map(Decision::client).toList());
        assertTrue(decisions.stream().allMatch(d -> d.detector().equals("patterns")));
    }

    @Test
    void sqlInjectionInTheQueryOfALiveJsonLineIsCaught() {
        LogParser parser = new LogParser();
        String line = "{\"time\":1764000000.5,\"service\":\"svc\",\"client\":\"127.0.0.60\",\"method\":\"GET\","
                + "\"host\":\"a.test\",\"path\":\"/products\",\"query\":\"id=1'%20UNION%20SELECT%20password%20FROM"
                + "%20users--\",\"status\":200,\"bytes\":512,\"requestTime\":0.002,\"upstreamTime\":\"0.002\","
                + "\"upstream\":\"127.0.0.1:8080\",\"userAgent\":\"" + UA + "\"}";
        // the same line without its query string: a plain page view
        Analyzer plain = analyzer(Map.of(), List.of());
        plain.accept(parser.parse(line.replaceFirst("\"query\":\"[^\"]*\",", "")), 1);
        assertEquals(List.of(), decisions);
        Analyzer a = analyzer(Map.of(), List.of());
        a.accept(parser.parse(line), 1);
        assertEquals(1, decisions.size(), decisions.toString());
        Decision d = decisions.get(0);
        assertEquals("127.0.0.60", d.client());
        assertEquals("patterns", d.detector());
        assertTrue(d.samples().get(0).contains("UNION%20SELECT"), d.samples().toString());
        // what the agent hands over live (path and query apart) is matched the same way
        decisions.clear();
        Analyzer live = analyzer(Map.of(), List.of());
        live.accept(req(0, "127.0.0.61", "GET", Request.target("/products", "id=1+union+select+1,2--"), 200, UA), 0);
        live.accept(req(10, "127.0.0.62", "GET", Request.target("/search", "page=2&q=shoes"), 200, UA), 0);
        assertEquals(
                List.of("127.0.0.61"), decisions.stream().map(Decision::client).toList());
    }

    @Test
    void allowlistedAndNeverBlockedAreNotDecided() {
        Analyzer a = analyzer(Map.of("allow", List.of("127.0.0.0/29")), List.of("127.0.0.100"));
        a.accept(req(0, "127.0.0.3", "GET", "/.env", 404, UA), 0);
        a.accept(req(0, "127.0.0.100", "GET", "/.env", 404, UA), 0);
        a.accept(req(0, "127.0.0.101", "GET", "/.env", 404, UA), 0);
        assertEquals(
                List.of("127.0.0.101"), decisions.stream().map(Decision::client).toList());
    }

    @Test
    void offDetectorsDecideNothing() {
        Analyzer a = analyzer(Map.of("detectors", Map.of("patterns", Map.of("mode", "off"))), List.of());
        a.accept(req(0, "127.0.0.3", "GET", "/.env", 404, UA), 0);
        assertEquals(List.of(), decisions);
    }

    @Test
    void memoryStaysBoundedWithManyClients() {
        Analyzer a = analyzer(Map.of("capacity", 1000), List.of());
        for (int i = 0; i < 200_000; i++) {
            a.accept(req(i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), "GET", "/", 200, UA), 0);
        }
        long[] stats = a.stats();
        assertEquals(1000, stats[3]);
        assertEquals(199_000, stats[2]);
        // a heavy hitter among them is still caught
        for (int i = 0; i < 5000; i++) {
            a.accept(req(200_000 + i, "127.0.0.60", "GET", "/", 200, UA), 0);
            a.accept(req(200_000 + i, "11.0." + (i >> 8 & 255) + "." + (i & 255), "GET", "/", 200, UA), 0);
        }
        assertEquals(
                List.of("127.0.0.60"), decisions.stream().map(Decision::client).toList());
    }

    @Test
    void decidesAgainAfterAnIdleWindow() {
        Analyzer a = analyzer(Map.of(), List.of());
        a.accept(req(0, "127.0.0.3", "GET", "/.env", 404, UA), 0);
        a.accept(req(1000, "127.0.0.3", "GET", "/.env", 404, UA), 0);
        a.accept(req(200_000, "127.0.0.3", "GET", "/.env", 404, UA), 0);
        assertEquals(2, decisions.size(), decisions.toString());
    }
}
