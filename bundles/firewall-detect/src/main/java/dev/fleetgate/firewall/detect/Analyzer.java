package dev.fleetgate.firewall.detect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs every detector over a stream of requests, in log order, with bounded memory; the agent feeds it live
 * entries and the core's replay feeds it parsed lines (same class, same decisions for the same lines).
 *
 * <p>State per client lives in a fixed-capacity table ({@link Settings#capacity} entries): when it is full, a new
 * client replaces the least active of 8 sampled entries (an approximate least-frequently-used eviction, as
 * space-saving keeps heavy hitters): clients sending many requests stay, the long tail of one-off addresses
 * comes and goes. Counters are windowed: the current and the previous window of {@link Settings#windowSeconds},
 * read as a sliding window ({@code previous × (1 − elapsed) + current}). Decisions use only counts observed
 * since the client entered the table, so eviction can delay a decision but never invent one. Services have a
 * table of their own (at most {@value #MAX_SERVICES}).
 *
 * <p>Time is the requests' own clock ({@link Request#timeMillis()}), never the wall clock. Not thread-safe.
 */
public final class Analyzer {
    static final int MAX_SERVICES = 4096;
    private static final int REQ = 0;
    private static final int NOT_FOUND = 1;
    private static final int LOGIN_POST = 2;
    private static final int LOGIN_FAIL = 3;
    private static final int SERVER_ERROR = 4;
    private static final int PATTERN = 5;
    private static final int KINDS = 6;
    private static final int SAMPLES = 3;
    private static final int PROBES = 8;

    /** Per-client state (reused when evicted). */
    static final class Slot {
        String client;
        final int index;
        long bucket = Long.MIN_VALUE;
        int[] cur = new int[KINDS];
        int[] prev = new int[KINDS];
        long uaBits;
        long pathBits;
        int decided;
        long firstError;
        long lastError;
        final Request[] samples = new Request[SAMPLES];
        int nextSample;
        Request last;

        Slot(int index) {
            this.index = index;
        }

        void reset(String client) {
            this.client = client;
            bucket = Long.MIN_VALUE;
            java.util.Arrays.fill(cur, 0);
            java.util.Arrays.fill(prev, 0);
            uaBits = 0;
            pathBits = 0;
            decided = 0;
            firstError = Long.MIN_VALUE;
            lastError = Long.MIN_VALUE;
            java.util.Arrays.fill(samples, null);
            nextSample = 0;
            last = null;
        }
    }

    /** Per-service state. */
    static final class Service {
        long bucket = Long.MIN_VALUE;
        final int[] cur = new int[KINDS];
        final int[] prev = new int[KINDS];
        final Baseline clientWindows = new Baseline();
        double mean;
        double dev;
        int learned;
        /** Share of 5xx in the service's last ~200 requests (an outage shows at once, not a window later). */
        double errorRate;
    }

    private final Settings settings;
    private final Consumer<Decision> sink;
    private final long windowMillis;
    private final AddressRanges exempt;
    private final Rule.Compiled[] pathRules;
    private final Rule.Compiled[] uaRules;
    private final Pattern login;
    private final boolean[] on = new boolean[Settings.DETECTORS.size()];
    private final boolean[] enforce = new boolean[Settings.DETECTORS.size()];
    private final HashMap<String, Slot> index;
    private final Slot[] slots;
    private int size;
    private long random = 0x9E3779B97F4A7C15L;
    private final LinkedHashMap<String, Service> services = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Service> eldest) {
            return size() > MAX_SERVICES;
        }
    };
    /** User agent → its rules' weight: few distinct agents, matched once each. */
    private final HashMap<String, Integer> uaWeights = new HashMap<>();

    private static final int MAX_UA_CACHE = 4096;
    private long requests;
    private long decisions;
    private long evictions;

    /**
     * @param settings   the detector settings
     * @param neverBlock addresses or blocks never decided on besides the settings' allowlist (the edge, agents, core)
     * @param sink       receives decisions, on the caller's thread
     */
    public Analyzer(Settings settings, Collection<String> neverBlock, Consumer<Decision> sink) {
        this.settings = settings;
        this.sink = sink;
        this.windowMillis = settings.windowSeconds * 1000L;
        List<String> ex = new ArrayList<>(settings.allow);
        ex.addAll(neverBlock);
        this.exempt = new AddressRanges(ex);
        List<Rule.Compiled> p = new ArrayList<>();
        List<Rule.Compiled> u = new ArrayList<>();
        for (Rule r : settings.rules) {
            (Rule.PATH.equals(r.target()) ? p : u).add(new Rule.Compiled(r));
        }
        this.pathRules = p.toArray(new Rule.Compiled[0]);
        this.uaRules = u.toArray(new Rule.Compiled[0]);
        this.login = Pattern.compile(settings.loginPaths, Pattern.CASE_INSENSITIVE);
        for (int i = 0; i < on.length; i++) {
            String mode = settings.modeOf(Settings.DETECTORS.get(i));
            on[i] = !"off".equals(mode);
            enforce[i] = "enforce".equals(mode);
        }
        this.slots = new Slot[settings.capacity];
        this.index = new HashMap<>(Math.min(settings.capacity, 1 << 16) * 2);
    }

    public Settings settings() {
        return settings;
    }

    /** @return requests seen, decisions taken, clients evicted from the table, clients tracked now */
    public long[] stats() {
        return new long[] {requests, decisions, evictions, size};
    }

    /**
     * Feeds one request.
     *
     * @param r    the request
     * @param line its line number (replay) or 0 (the analyser then numbers requests itself)
     */
    public void accept(Request r, long line) {
        requests++;
        long t = r.timeMillis();
        long bucket = Math.floorDiv(t, windowMillis);
        double elapsed = (t - bucket * windowMillis) / (double) windowMillis;
        Service svc = service(r.serviceId(), bucket);
        Slot c = slot(AddressRanges.canonicalClient(r.client()), bucket, svc); // IPv6 written one way
        c.cur[REQ]++;
        svc.cur[REQ]++;
        int status = r.status();
        boolean suspicious = false;
        if (status == 404) {
            c.cur[NOT_FOUND]++;
            suspicious = true;
        } else if (status >= 500) {
            c.cur[SERVER_ERROR]++;
            svc.cur[SERVER_ERROR]++;
            suspicious = true;
            if (c.lastError == Long.MIN_VALUE || t - c.lastError > windowMillis) {
                c.firstError = t;
            }
            c.lastError = t;
        }
        svc.errorRate += ((status >= 500 ? 1 : 0) - svc.errorRate) / 200;
        boolean loginFail = false;
        if ("POST".equals(r.method()) && login.matcher(r.path()).find()) {
            c.cur[LOGIN_POST]++;
            if (status == 401 || status == 403 || status == 429) {
                c.cur[LOGIN_FAIL]++;
                loginFail = true;
                suspicious = true;
            }
        }
        int weight = patternWeight(r);
        if (weight > 0) {
            c.cur[PATTERN] += weight;
            suspicious = true;
        }
        c.uaBits |= 1L << (r.userAgent() == null ? 0 : mix(r.userAgent().hashCode()));
        c.pathBits |= 1L << mix(r.path().hashCode());
        if (suspicious) {
            c.samples[c.nextSample] = r;
            c.nextSample = (c.nextSample + 1) % SAMPLES;
        } else {
            c.last = r;
        }
        long at = line > 0 ? line : requests;
        if (on[0]) {
            flood(c, svc, r, elapsed, at);
        }
        if (on[1] && status == 404) {
            ratio(c, 1, NOT_FOUND, REQ, "404 responses", r, elapsed, at, null);
        }
        if (on[2] && loginFail) {
            ratio(
                    c,
                    2,
                    LOGIN_FAIL,
                    LOGIN_POST,
                    "failed logins (401/403/429 to a POST on a login path)",
                    r,
                    elapsed,
                    at,
                    null);
        }
        if (on[3]
                && status >= 500
                && t - c.firstError >= settings.detector(Settings.ERRORS).param("minSeconds") * 1000) {
            ratio(c, 3, SERVER_ERROR, REQ, "5xx responses", r, elapsed, at, svc);
        }
        if (on[4] && weight > 0 && (c.decided & 1 << 4) == 0) {
            double score = est(c.prev, c.cur, PATTERN, elapsed);
            double thr = settings.detector(Settings.PATTERNS).param("threshold");
            if (score >= thr) {
                decide(
                        c,
                        4,
                        r,
                        at,
                        score / thr,
                        String.format(
                                Locale.ROOT,
                                "known-bad patterns: score %.0f in %d s (threshold %.0f)",
                                score,
                                settings.windowSeconds,
                                thr),
                        elapsed,
                        thr,
                        null);
            }
        }
    }

    private int patternWeight(Request r) {
        int w = 0;
        String path = r.path();
        if (!path.isEmpty()) {
            String lower = path.toLowerCase(Locale.ROOT);
            int st = r.status();
            boolean missing = st == 404 || st == 403 || st == 410;
            for (Rule.Compiled rule : pathRules) {
                if ((missing || !rule.rule.missingOnly()) && rule.matches(path, lower)) {
                    w += rule.rule.weight();
                }
            }
        }
        String ua = r.userAgent();
        if (ua != null && uaRules.length > 0) {
            Integer known = uaWeights.get(ua);
            if (known == null) {
                int u = 0;
                String lower = ua.toLowerCase(Locale.ROOT);
                for (Rule.Compiled rule : uaRules) {
                    if (rule.matches(ua, lower)) {
                        u += rule.rule.weight();
                    }
                }
                if (uaWeights.size() >= MAX_UA_CACHE) {
                    uaWeights.clear(); // bounded: a flood of random user agents only costs the matching
                }
                known = u;
                uaWeights.put(ua, known);
            }
            w += known;
        }
        return w;
    }

    private void flood(Slot c, Service svc, Request r, double elapsed, long at) {
        Settings.Detector d = settings.detector(Settings.FLOOD);
        double floor = d.param("threshold");
        double n = est(c.prev, c.cur, REQ, elapsed);
        if (n < floor / 2 || (c.decided & 1) != 0) {
            return;
        }
        // many users behind one address (an office's NAT) show many user agents and many paths
        double diversity = Math.min(distinct(c.uaBits), distinct(c.pathBits) / 3);
        double users = Math.max(1, Math.min(10, diversity / 2));
        double learned = svc.clientWindows.observations() >= 50 ? svc.clientWindows.quantile(0.99) : 0;
        double threshold = Math.max(floor * users, learned * d.param("baselineFactor"));
        double svcNow = est(svc.prev, svc.cur, REQ, elapsed);
        boolean surge = svc.learned >= 3 && svcNow > Math.max(floor, svc.mean + 6 * Math.max(svc.dev, 0.1 * svc.mean));
        if (surge && n / svcNow >= d.param("serviceShare")) {
            threshold /= 2;
        }
        if (n >= threshold) {
            decide(
                    c,
                    0,
                    r,
                    at,
                    n / threshold,
                    String.format(
                            Locale.ROOT,
                            "%.0f requests in %d s (threshold %.0f%s)",
                            n,
                            settings.windowSeconds,
                            threshold,
                            surge
                                    ? ", service surge: " + Math.round(svcNow) + " requests vs usual "
                                            + Math.round(svc.mean)
                                    : ""),
                    elapsed,
                    threshold,
                    svc);
        }
    }

    private void ratio(
            Slot c, int det, int kind, int of, String what, Request r, double elapsed, long at, Service svc) {
        if ((c.decided & 1 << det) != 0) {
            return;
        }
        Settings.Detector d = settings.detector(Settings.DETECTORS.get(det));
        double n = est(c.prev, c.cur, kind, elapsed);
        double total = est(c.prev, c.cur, of, elapsed);
        double thr = d.param("threshold");
        if (n < thr || total <= 0 || n / total < d.param("ratio")) {
            return;
        }
        if (svc != null) {
            // 5xx for everybody is an outage, not an attack: the rest of the service must look healthy (and be
            // there to look at: a client alone on a failing service cannot be told from an outage)
            double all = est(svc.prev, svc.cur, REQ, elapsed);
            double others = all - total;
            // the service's recent 5xx share, less what this client itself adds to it
            double own = all <= 0 ? 0 : Math.min(1, total / all) * (n / total);
            double serviceErrors = est(svc.prev, svc.cur, SERVER_ERROR, elapsed);
            if (others < 20
                    || svc.errorRate - own > d.param("serviceRatio")
                    || n < d.param("serviceShare") * serviceErrors) {
                return; // an outage: many clients get 5xx, not one
            }
        }
        decide(
                c,
                det,
                r,
                at,
                n / thr,
                String.format(
                        Locale.ROOT,
                        "%.0f %s of %.0f in %d s (threshold %.0f, ratio %.2f)",
                        n,
                        what,
                        total,
                        settings.windowSeconds,
                        thr,
                        n / total),
                elapsed,
                thr,
                svc);
    }

    private void decide(
            Slot c,
            int det,
            Request r,
            long at,
            double score,
            String reason,
            double elapsed,
            double threshold,
            Service svc) {
        c.decided |= 1 << det;
        if (exempt.contains(c.client)) {
            return;
        }
        decisions++;
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("requests", Math.round(est(c.prev, c.cur, REQ, elapsed)));
        counts.put("notFound", Math.round(est(c.prev, c.cur, NOT_FOUND, elapsed)));
        counts.put("loginPosts", Math.round(est(c.prev, c.cur, LOGIN_POST, elapsed)));
        counts.put("loginFailures", Math.round(est(c.prev, c.cur, LOGIN_FAIL, elapsed)));
        counts.put("serverErrors", Math.round(est(c.prev, c.cur, SERVER_ERROR, elapsed)));
        counts.put("patternScore", Math.round(est(c.prev, c.cur, PATTERN, elapsed)));
        counts.put("userAgents", Math.round(distinct(c.uaBits)));
        counts.put("paths", Math.round(distinct(c.pathBits)));
        counts.put("threshold", Math.round(threshold));
        counts.put("windowSeconds", (long) settings.windowSeconds);
        if (svc != null) {
            counts.put("serviceRequests", Math.round(est(svc.prev, svc.cur, REQ, elapsed)));
        }
        List<String> samples = new ArrayList<>(SAMPLES + 1);
        for (int i = 0; i < SAMPLES; i++) {
            Request s = c.samples[(c.nextSample + SAMPLES - 1 - i) % SAMPLES];
            if (s != null) {
                samples.add(s.sample());
            }
        }
        if (c.last != null && samples.size() < SAMPLES + 1) {
            samples.add(c.last.sample());
        }
        String name = Settings.DETECTORS.get(det);
        sink.accept(new Decision(
                c.client,
                r.serviceId(),
                name,
                settings.detector(name).action(),
                enforce[det],
                Math.round(score * 100) / 100.0,
                reason,
                at,
                r.timeMillis(),
                counts,
                samples));
    }

    private static double est(int[] prev, int[] cur, int kind, double elapsed) {
        return prev[kind] * (1 - elapsed) + cur[kind];
    }

    /** Linear counting over a 64-bit bitmap: distinct values seen (saturates at ~266). */
    static double distinct(long bits) {
        int zeros = 64 - Long.bitCount(bits);
        return zeros == 0 ? 64 * Math.log(64) : -64 * Math.log(zeros / 64.0);
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h & 63;
    }

    private Service service(String id, long bucket) {
        String key = id == null ? "" : id;
        Service s = services.get(key);
        if (s == null) {
            s = new Service();
            services.put(key, s);
        }
        if (s.bucket != bucket) {
            if (s.bucket != Long.MIN_VALUE && bucket > s.bucket) {
                int total = bucket == s.bucket + 1 ? s.cur[REQ] : 0;
                learn(s, total);
            }
            roll(s.prev, s.cur, s.bucket, bucket);
            s.bucket = bucket;
        }
        return s;
    }

    /** EWMA of a service's requests per window; a window far above it (an attack) barely moves it. */
    private static void learn(Service s, int total) {
        if (s.learned == 0) {
            s.mean = total;
            s.dev = total / 2.0;
        } else {
            boolean outlier = s.learned >= 3 && total > s.mean + 6 * Math.max(s.dev, 0.1 * s.mean);
            double alpha = outlier ? 0.01 : 0.2;
            s.dev += alpha * (Math.abs(total - s.mean) - s.dev);
            s.mean += alpha * (total - s.mean);
        }
        s.learned++;
    }

    private static void roll(int[] prev, int[] cur, long from, long to) {
        if (to == from + 1) {
            System.arraycopy(cur, 0, prev, 0, KINDS);
        } else {
            java.util.Arrays.fill(prev, 0);
        }
        java.util.Arrays.fill(cur, 0);
    }

    private Slot slot(String client, long bucket, Service svc) {
        Slot s = index.get(client);
        if (s == null) {
            s = allocate(client, bucket);
            index.put(client, s);
        }
        if (s.bucket != bucket) {
            if (s.bucket != Long.MIN_VALUE && bucket > s.bucket) {
                if (s.cur[REQ] > 0) {
                    svc.clientWindows.add(s.cur[REQ]);
                }
                if (bucket > s.bucket + 1) {
                    s.decided = 0; // idle for a whole window: a new episode may be decided again
                }
                roll(s.prev, s.cur, s.bucket, bucket);
                s.bucket = bucket;
            } else if (s.bucket == Long.MIN_VALUE) {
                s.bucket = bucket;
            }
            // a request older than the current window (slightly out of order) counts in the current one
        }
        return s;
    }

    private Slot allocate(String client, long bucket) {
        Slot s;
        if (size < slots.length) {
            s = new Slot(size);
            slots[size++] = s;
        } else {
            s = null;
            double least = Double.MAX_VALUE;
            for (int i = 0; i < PROBES; i++) {
                Slot candidate = slots[(int) Long.remainderUnsigned(nextRandom(), size)];
                double activity = candidate.bucket < bucket - 1
                        ? -1
                        : candidate.bucket == bucket ? candidate.prev[REQ] + candidate.cur[REQ] : candidate.cur[REQ];
                if (activity < least) {
                    least = activity;
                    s = candidate;
                }
            }
            index.remove(s.client);
            evictions++;
        }
        s.reset(client);
        return s;
    }

    private long nextRandom() {
        long x = random;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        random = x;
        return x;
    }
}
