package dev.fleetgate.firewall.detect.sim;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.fleetgate.firewall.detect.Request;

/**
 * Generates labelled traffic, seeded and varied: every count, rate and duration is drawn from a range, so two seeds
 * give different logs. Benign: people browsing (a page then a burst of its assets, think times, a few 404s and
 * mistyped passwords), crawlers, API monitors, offices behind one NAT address (many people, one address), a
 * flash crowd on one service and a backend outage (5xx for everybody). Attacks: floods (some rotating user
 * agents), path scanners (some slow), brute force on login paths (some slow), clients provoking 5xx, and probers
 * mixing known-bad paths into normal browsing.
 */
public final class TrafficGenerator {
    /** Benign kinds. */
    public static final Set<String> BENIGN = Set.of("normal", "crawler", "monitor", "nat");
    /** Attack kind → the detector meant to catch it. */
    public static final Map<String, String> ATTACKS = Map.of(
            "flood", "flood", "scan", "scan", "bruteforce", "bruteforce", "errors", "errors", "patterns", "patterns");

    /** The generated log: requests in time order and each client's label. */
    public record Traffic(List<Request> requests, Map<String, String> labels) {}

    private static final String[] WORDLIST = {
        "/admin",
        "/administrator",
        "/backup",
        "/backup.zip",
        "/db.sql",
        "/dump.sql",
        "/.env",
        "/.env.local",
        "/.git/config",
        "/.git/HEAD",
        "/config.php",
        "/wp-login.php",
        "/wp-admin/",
        "/phpmyadmin/",
        "/pma/",
        "/server-status",
        "/.DS_Store",
        "/old",
        "/test",
        "/tmp",
        "/login.php",
        "/admin.php",
        "/console",
        "/manager/html",
        "/actuator/env",
        "/api/swagger.json",
        "/cgi-bin/test.cgi",
        "/shell.php",
        "/info.php",
        "/phpinfo.php",
        "/.aws/credentials",
        "/.ssh/id_rsa",
        "/web.config",
        "/xmlrpc.php",
        "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
        "/solr/",
        "/jenkins/",
        "/debug",
        "/.svn/entries",
        "/install.php",
        "/setup.php",
        "/config.json",
        "/credentials.json",
        "/secrets.yml",
        "/app.log",
        "/logs/"
    };
    private static final String[] PROBES = {
        "/products/1' or '1'='1",
        "/item/1%20union%20select%20null,null--",
        "/static/../../../../etc/passwd",
        "/download/..%2f..%2f..%2fetc%2fpasswd",
        "/.env",
        "/search/<script>alert(1)",
        "/api/v1/users/1+union+select+password+from+users",
        "/?x=${jndi:ldap://x/a}",
        "/products?id=1%27%20UNION%20SELECT%20password%20FROM%20users--",
        "/.git/config",
        "/cgi-bin/../../bin/sh"
    };
    private static final String[] SCANNER_UAS = {
        "sqlmap/1.7.2#stable (https://sqlmap.org)",
        "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)",
        "gobuster/3.6",
        "Nuclei - Open-source project",
        "Mozilla/5.0 zgrab/0.x",
        "WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)",
        "Fuzz Faster U Fool v2.1.0"
    };
    private static final String[] CRAWLER_UAS = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "DuckDuckBot/1.1",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"
    };
    private static final String[] MONITOR_UAS = {
        "Prometheus/2.51.0", "curl/8.5.0", "UptimeRobot/2.0", "kube-probe/1.29", "Go-http-client/1.1"
    };
    private static final String[] LOGIN_PATHS = {
        "/login", "/wp-login.php", "/api/auth/token", "/account/signin", "/user/session"
    };

    private final Random rnd;
    private final double scale;
    private final long t0;
    private final long durationMs;
    private final List<Request> out = new ArrayList<>();
    private final Map<String, String> labels = new HashMap<>();
    private final Set<String> used = new HashSet<>();
    private final String[] browserUas;
    private final String[] services;
    private final String[][] pages;
    private final String[][] assets;

    /**
     * @param seed     the seed
     * @param scale    traffic volume (1 = ~2,000 people over 10 minutes)
     * @param seconds  length of the log
     */
    public TrafficGenerator(long seed, double scale, int seconds) {
        this.rnd = new Random(seed);
        this.scale = scale;
        this.t0 = 1_764_000_000_000L + Math.floorMod(seed, 1000) * 86_400_000L;
        this.durationMs = seconds * 1000L;
        this.browserUas = new String[20 + rnd.nextInt(30)];
        for (int i = 0; i < browserUas.length; i++) {
            int v = 100 + rnd.nextInt(30);
            browserUas[i] = switch (rnd.nextInt(4)) {
                case 0 ->
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + v
                            + ".0.0.0 Safari/537.36";
                case 1 ->
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/"
                            + (14 + v % 5) + ".1 Safari/605.1.15";
                case 2 -> "Mozilla/5.0 (X11; Linux x86_64; rv:" + v + ".0) Gecko/20100101 Firefox/" + v + ".0";
                default ->
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_" + v % 7
                            + " like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";
            };
        }
        this.services = new String[3 + rnd.nextInt(5)];
        this.pages = new String[services.length][];
        this.assets = new String[services.length][];
        for (int s = 0; s < services.length; s++) {
            services[s] = "svc-" + (s + 1);
            pages[s] = new String[50 + rnd.nextInt(300)];
            for (int p = 0; p < pages[s].length; p++) {
                pages[s][p] = switch (p % 4) {
                    case 0 -> "/";
                    case 1 -> "/blog/post-" + p;
                    // some pages with benign query strings (searches, paging, tracking, quotes in names)
                    case 2 -> p % 8 == 6 ? "/products/" + p + "?page=2&q=shoes" : "/products/" + p;
                    default ->
                        p % 8 == 7
                                ? "/docs/page-" + p + "?utm_source=news&q=o%27neil+select+union+jack"
                                : "/docs/page-" + p;
                };
            }
            assets[s] = new String[10 + rnd.nextInt(40)];
            for (int a = 0; a < assets[s].length; a++) {
                assets[s][a] = "/static/"
                        + (a % 3 == 0 ? "app." + a + ".js" : a % 3 == 1 ? "style." + a + ".css" : "img/" + a + ".png");
            }
        }
    }

    public Traffic generate() {
        int people = (int) (scale * (1200 + rnd.nextInt(1600)));
        for (int i = 0; i < people; i++) {
            String ip = address("normal");
            person(
                    ip,
                    rnd.nextInt(services.length),
                    browserUas[rnd.nextInt(browserUas.length)],
                    rnd.nextDouble() * durationMs,
                    1);
        }
        int offices = 2 + rnd.nextInt(4);
        for (int o = 0; o < offices; o++) {
            String ip = address("nat");
            int staff = (int) (scale * (30 + rnd.nextInt(220)));
            int svc = rnd.nextInt(services.length);
            for (int u = 0; u < staff; u++) {
                person(
                        ip,
                        rnd.nextDouble() < 0.7 ? svc : rnd.nextInt(services.length),
                        browserUas[rnd.nextInt(Math.min(browserUas.length, 12))],
                        rnd.nextDouble() * durationMs,
                        1);
            }
        }
        // a flash crowd: many new people within one minute on one service
        int crowdSvc = rnd.nextInt(services.length);
        double crowdAt = rnd.nextDouble() * (durationMs - 60_000);
        for (int i = 0, n = (int) (scale * (200 + rnd.nextInt(400))); i < n; i++) {
            person(
                    address("normal"),
                    crowdSvc,
                    browserUas[rnd.nextInt(browserUas.length)],
                    crowdAt + rnd.nextDouble() * 60_000,
                    0.5);
        }
        for (int i = 0, n = 2 + rnd.nextInt(7); i < n; i++) {
            steady(
                    address("crawler"),
                    CRAWLER_UAS[rnd.nextInt(CRAWLER_UAS.length)],
                    0.3 + rnd.nextDouble() * 8,
                    0,
                    durationMs,
                    "crawl");
        }
        for (int i = 0, n = 2 + rnd.nextInt(5); i < n; i++) {
            steady(
                    address("monitor"),
                    MONITOR_UAS[rnd.nextInt(MONITOR_UAS.length)],
                    0.2 + rnd.nextDouble() * 2,
                    0,
                    durationMs,
                    "monitor");
        }
        outage();
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
            double len = 20_000 + rnd.nextDouble() * 100_000;
            boolean rotate = rnd.nextInt(3) == 0;
            steady(
                    address("flood"),
                    rotate ? null : browserUas[rnd.nextInt(browserUas.length)],
                    30 + rnd.nextDouble() * 400,
                    rnd.nextDouble() * (durationMs - len),
                    len,
                    "flood");
        }
        for (int i = 0, n = 1 + rnd.nextInt(5); i < n; i++) {
            boolean slow = rnd.nextInt(4) == 0;
            double len = slow ? durationMs * 0.8 : 15_000 + rnd.nextDouble() * 100_000;
            steady(
                    address("scan"),
                    rnd.nextBoolean()
                            ? SCANNER_UAS[rnd.nextInt(SCANNER_UAS.length)]
                            : browserUas[rnd.nextInt(browserUas.length)],
                    slow ? 0.3 + rnd.nextDouble() : 2 + rnd.nextDouble() * 20,
                    rnd.nextDouble() * (durationMs - len),
                    len,
                    "scan");
        }
        for (int i = 0, n = 1 + rnd.nextInt(5); i < n; i++) {
            double len = 30_000 + rnd.nextDouble() * 200_000;
            steady(
                    address("bruteforce"),
                    rnd.nextInt(3) == 0 ? "python-requests/2.31.0" : browserUas[rnd.nextInt(browserUas.length)],
                    0.1 + rnd.nextDouble() * 5,
                    rnd.nextDouble() * (durationMs - len),
                    len,
                    "bruteforce");
        }
        for (int i = 0, n = rnd.nextInt(3); i < n; i++) {
            double len = 40_000 + rnd.nextDouble() * 120_000;
            steady(
                    address("errors"),
                    browserUas[rnd.nextInt(browserUas.length)],
                    0.5 + rnd.nextDouble() * 5,
                    rnd.nextDouble() * (durationMs - len),
                    len,
                    "errors");
        }
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
            String ip = address("patterns");
            String ua = browserUas[rnd.nextInt(browserUas.length)];
            int svc = rnd.nextInt(services.length);
            double at = rnd.nextDouble() * (durationMs - 60_000);
            person(ip, svc, ua, at, 0.5);
            for (int k = 0, m = 2 + rnd.nextInt(8); k < m; k++) {
                at += rnd.nextDouble() * 8_000;
                add(at, svc, ip, "GET", PROBES[rnd.nextInt(PROBES.length)], rnd.nextInt(3) == 0 ? 400 : 404, ua);
            }
        }
        out.sort(Comparator.comparingLong(Request::timeMillis));
        return new Traffic(out, labels);
    }

    /** One person's visit: pages, each followed by a burst of its assets, with think times; maybe a login. */
    private void person(String ip, int svc, String ua, double at, double lengthFactor) {
        int views = 1 + (int) (-Math.log(1 - rnd.nextDouble()) * 8 * lengthFactor);
        boolean logsIn = rnd.nextInt(10) == 0;
        for (int v = 0; v < views && at < durationMs; v++) {
            String page = pages[svc][rnd.nextInt(pages[svc].length)];
            add(at, svc, ip, "GET", page, rnd.nextInt(100) == 0 ? 404 : 200, ua);
            int burst = rnd.nextInt(4) == 0 ? 0 : 3 + rnd.nextInt(28);
            for (int a = 0; a < burst; a++) {
                add(
                        at + 20 + rnd.nextDouble() * 1500,
                        svc,
                        ip,
                        "GET",
                        assets[svc][rnd.nextInt(assets[svc].length)],
                        rnd.nextInt(3) == 0 ? 304 : 200,
                        ua);
            }
            if (logsIn && v == 0) {
                String lp = LOGIN_PATHS[svc % LOGIN_PATHS.length];
                int typos = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : 0;
                double t = at + 3000;
                for (int k = 0; k < typos; k++) {
                    add(t, svc, ip, "POST", lp, 401, ua);
                    t += 2000 + rnd.nextDouble() * 6000;
                }
                add(t, svc, ip, "POST", lp, 200, ua);
            }
            at += 2000 + -Math.log(1 - rnd.nextDouble()) * 15_000;
        }
    }

    /** A client at a steady rate (Poisson arrivals) from {@code from} for {@code len} ms. */
    private void steady(String ip, String ua, double perSecond, double from, double len, String what) {
        int svc = rnd.nextInt(services.length);
        String[] floodPaths = {pages[svc][0], pages[svc][rnd.nextInt(pages[svc].length)], "/api/search"};
        String lp = LOGIN_PATHS[rnd.nextInt(LOGIN_PATHS.length)];
        int scanStart = rnd.nextInt(WORDLIST.length);
        int n = 0;
        for (double t = from;
                t < from + len && t < durationMs;
                t += -Math.log(1 - rnd.nextDouble()) * 1000 / perSecond) {
            String agent = ua != null ? ua : browserUas[rnd.nextInt(browserUas.length)];
            switch (what) {
                case "crawl" -> {
                    int s = rnd.nextInt(services.length);
                    add(
                            t,
                            s,
                            ip,
                            "GET",
                            pages[s][rnd.nextInt(pages[s].length)],
                            rnd.nextInt(100) < 8 ? 404 : 200,
                            agent);
                }
                case "monitor" -> add(t, svc, ip, "GET", "/api/health", rnd.nextInt(200) == 0 ? 503 : 200, agent);
                case "flood" ->
                    add(
                            t,
                            svc,
                            ip,
                            rnd.nextInt(5) == 0 ? "POST" : "GET",
                            floodPaths[rnd.nextInt(floodPaths.length)],
                            rnd.nextInt(10) == 0 ? 503 : 200,
                            agent);
                case "scan" -> {
                    String p = WORDLIST[(scanStart + n) % WORDLIST.length] + (n >= WORDLIST.length ? "?" + n : "");
                    add(t, svc, ip, "GET", p, rnd.nextInt(12) == 0 ? 403 : 404, agent);
                }
                case "bruteforce" -> add(t, svc, ip, "POST", lp, rnd.nextInt(20) == 0 ? 429 : 401, agent);
                case "errors" ->
                    add(t, svc, ip, "GET", "/api/export/" + rnd.nextInt(50), rnd.nextInt(6) == 0 ? 200 : 500, agent);
                default -> throw new IllegalArgumentException(what);
            }
            n++;
        }
    }

    /** A backend outage: one service answers 502 to most requests for a while (nobody is to blame). */
    private void outage() {
        int svc = rnd.nextInt(services.length);
        double from = rnd.nextDouble() * (durationMs - 90_000);
        double to = from + 30_000 + rnd.nextDouble() * 60_000;
        for (int i = 0; i < out.size(); i++) {
            Request r = out.get(i);
            if (services[svc].equals(r.serviceId())
                    && r.timeMillis() - t0 >= from
                    && r.timeMillis() - t0 < to
                    && rnd.nextInt(10) < 8) {
                out.set(
                        i,
                        new Request(
                                r.timeMillis(),
                                r.serviceId(),
                                r.client(),
                                r.method(),
                                r.path(),
                                502,
                                r.userAgent(),
                                null));
            }
        }
    }

    private void add(double at, int svc, String ip, String method, String path, int status, String ua) {
        if (at >= durationMs) {
            return;
        }
        out.add(new Request(t0 + (long) at, services[svc], ip, method, path, status, ua, null));
    }

    private String address(String kind) {
        while (true) {
            String ip = (1 + rnd.nextInt(222)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "."
                    + (1 + rnd.nextInt(254));
            if (!ip.startsWith("127.") && used.add(ip)) {
                labels.put(ip, kind);
                return ip;
            }
        }
    }

    // ---- formats ----

    private static final DateTimeFormatter COMBINED = DateTimeFormatter.ofPattern(
                    "dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** @return the request as a line of Fleetgate's JSON access log */
    public static String json(Request r) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time\":").append(r.timeMillis() / 1000).append('.');
        long ms = r.timeMillis() % 1000;
        b.append(ms < 10 ? "00" : ms < 100 ? "0" : "").append(ms);
        b.append(",\"service\":\"")
                .append(r.serviceId() == null ? "" : r.serviceId())
                .append("\",\"client\":\"")
                .append(r.client())
                .append("\",\"method\":\"")
                .append(r.method())
                .append("\",\"host\":\"")
                .append(r.serviceId())
                .append(".example.test\",\"path\":\"");
        // as the agent logs it: the path and the query string in members of their own
        int q = r.path().indexOf('?');
        escape(b, q < 0 ? r.path() : r.path().substring(0, q));
        b.append("\",\"query\":\"");
        escape(b, q < 0 ? "" : r.path().substring(q + 1));
        b.append("\",\"status\":")
                .append(r.status())
                .append(",\"bytes\":")
                .append(200 + (r.path().length() * 37) % 9000)
                .append(
                        ",\"requestTime\":0.004,\"upstreamTime\":\"0.003\",\"upstream\":\"127.0.0.1:8080\",\"userAgent\":\"");
        escape(b, r.userAgent() == null ? "" : r.userAgent());
        return b.append("\"}").toString();
    }

    /** @return the request as a line of nginx's {@code combined} format */
    public static String combined(Request r) {
        return r.client() + " - - [" + COMBINED.format(Instant.ofEpochMilli(r.timeMillis())) + "] \"" + r.method() + " "
                + r.path() + " HTTP/1.1\" " + r.status() + " "
                + (200 + (r.path().length() * 37) % 9000) + " \"-\" \""
                + (r.userAgent() == null ? "-" : r.userAgent()) + "\"";
    }

    private static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
    }
}
