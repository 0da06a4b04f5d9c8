package dev.fleetgate.firewall.detect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Detector settings, immutable. The JSON shape ({@link #toMap()} / {@link #fromMap}) is the one of
 * {@code GET/PUT /api/v1/firewall/settings} and of the agents' desired-state section, so the core and the agents
 * read it with the same code:
 * <pre>{"mode":"enforce"|"shadow", "allow":[cidr], "windowSeconds":60, "capacity":50000,
 *  "ttlSeconds":600, "maxTtlSeconds":86400,
 *  "detectors":{"flood":{"mode":"enforce"|"shadow"|"off"|null,"action":"block"|"limit"|"challenge","threshold":1200,...},...},
 *  "rules":[{"id","target":"path"|"userAgent","regex":false,"pattern","weight","missingOnly":false}]}</pre>
 */
public final class Settings {
    public static final String FLOOD = "flood";
    public static final String SCAN = "scan";
    public static final String BRUTEFORCE = "bruteforce";
    public static final String ERRORS = "errors";
    public static final String PATTERNS = "patterns";
    public static final String CORRELATION = "correlation";
    /** Detectors in evidence order. */
    public static final List<String> DETECTORS = List.of(FLOOD, SCAN, BRUTEFORCE, ERRORS, PATTERNS, CORRELATION);

    public static final Set<String> MODES = Set.of("enforce", "shadow");
    public static final Set<String> DETECTOR_MODES = Set.of("enforce", "shadow", "off");
    /** {@code block} 403, {@code limit} 429, {@code challenge} a page a browser passes (a cookie set by script). */
    public static final Set<String> ACTIONS = Set.of("block", "limit", "challenge");

    static final int MAX_RULES = 500;
    static final int MAX_ALLOW = 1000;

    /** One detector's mode, action and parameters. */
    public record Detector(String mode, String action, Map<String, Double> params) {
        public double param(String name) {
            return params.get(name);
        }
    }

    /** Parameter name → {default, min, max} per detector. */
    private static final Map<String, Map<String, double[]>> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put(
                FLOOD,
                params(
                        "threshold",
                        1200,
                        10,
                        1e9, // requests per window from one client (a floor)
                        "baselineFactor",
                        4,
                        1,
                        1000, // x the learned p99 of clients' windows on the service
                        "serviceShare",
                        0.25,
                        0.01,
                        1)); // during a service surge: the client's share of it
        PARAMS.put(SCAN, params("threshold", 30, 1, 1e9, "ratio", 0.5, 0, 1));
        PARAMS.put(BRUTEFORCE, params("threshold", 10, 1, 1e9, "ratio", 0.5, 0, 1));
        PARAMS.put(
                ERRORS,
                params(
                        "threshold",
                        20,
                        1,
                        1e9,
                        "ratio",
                        0.5,
                        0,
                        1,
                        "serviceRatio",
                        0.2,
                        0,
                        1, // the rest of the service's recent 5xx share at most
                        "serviceShare",
                        0.25,
                        0,
                        1, // the client's share of the service's 5xx at least
                        "minSeconds",
                        10,
                        0,
                        3600)); // 5xx spread over at least this long (a page load is a burst)
        PARAMS.put(PATTERNS, params("threshold", 2, 1, 1e9));
        PARAMS.put(CORRELATION, params("services", 5, 2, 1e6, "agents", 3, 2, 1e6));
    }

    private static Map<String, double[]> params(Object... kv) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 4) {
            m.put((String) kv[i], new double[] {
                ((Number) kv[i + 1]).doubleValue(),
                ((Number) kv[i + 2]).doubleValue(),
                ((Number) kv[i + 3]).doubleValue()
            });
        }
        return m;
    }

    public final String mode;
    public final List<String> allow;
    public final int windowSeconds;
    public final int capacity;
    public final int ttlSeconds;
    public final int maxTtlSeconds;
    public final Map<String, Detector> detectors;
    public final List<Rule> rules;
    public final String loginPaths;

    private Settings(
            String mode,
            List<String> allow,
            int windowSeconds,
            int capacity,
            int ttlSeconds,
            int maxTtlSeconds,
            Map<String, Detector> detectors,
            List<Rule> rules,
            String loginPaths) {
        this.mode = mode;
        this.allow = List.copyOf(allow);
        this.windowSeconds = windowSeconds;
        this.capacity = capacity;
        this.ttlSeconds = ttlSeconds;
        this.maxTtlSeconds = maxTtlSeconds;
        this.detectors = Map.copyOf(detectors);
        this.rules = List.copyOf(rules);
        this.loginPaths = loginPaths;
    }

    /** Login-like paths (brute force counts failed POSTs to them). */
    public static final String DEFAULT_LOGIN_PATHS =
            "login|log-in|signin|sign-in|sign_in|logon|auth|session|token|password|passwd|wp-login|xmlrpc|account";

    public static Settings defaults() {
        return fromMap(Map.of(), (f, m) -> {
            throw new IllegalStateException(f + " " + m);
        });
    }

    /** @return the effective mode of a detector: {@code enforce}, {@code shadow} or {@code off} */
    public String modeOf(String detector) {
        Detector d = detectors.get(detector);
        return d == null || d.mode() == null ? mode : d.mode();
    }

    public Detector detector(String name) {
        return detectors.get(name);
    }

    /** @return a JSON-ready tree (maps, lists, strings, numbers) */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("allow", allow);
        m.put("windowSeconds", windowSeconds);
        m.put("capacity", capacity);
        m.put("ttlSeconds", ttlSeconds);
        m.put("maxTtlSeconds", maxTtlSeconds);
        m.put("loginPaths", loginPaths);
        Map<String, Object> ds = new LinkedHashMap<>();
        for (String name : DETECTORS) {
            Detector d = detectors.get(name);
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("mode", d.mode());
            dm.put("action", d.action());
            dm.putAll(d.params());
            ds.put(name, dm);
        }
        m.put("detectors", ds);
        List<Object> rs = new ArrayList<>();
        for (Rule r : rules) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("id", r.id());
            rm.put("target", r.target());
            rm.put("regex", r.regex());
            rm.put("pattern", r.pattern());
            rm.put("weight", r.weight());
            rm.put("missingOnly", r.missingOnly());
            rs.add(rm);
        }
        m.put("rules", rs);
        return m;
    }

    /**
     * Reads settings from a JSON-like tree; absent members take their defaults ({@code rules} absent = the
     * default rules). Every problem is reported to {@code errors} as (field path, reason).
     *
     * @return the settings, or null when an error was reported
     */
    public static Settings fromMap(Map<String, ?> m, BiConsumer<String, String> errors) {
        int[] failures = {0};
        BiConsumer<String, String> err = (f, msg) -> {
            failures[0]++;
            errors.accept(f, msg);
        };
        known(
                m,
                Set.of(
                        "mode",
                        "allow",
                        "windowSeconds",
                        "capacity",
                        "ttlSeconds",
                        "maxTtlSeconds",
                        "detectors",
                        "rules",
                        "loginPaths"),
                "",
                err);
        String mode = choice(m.get("mode"), "mode", MODES, "shadow", err);
        List<String> allow = new ArrayList<>();
        Object a = m.get("allow");
        if (a instanceof Collection<?> c) {
            if (c.size() > MAX_ALLOW) {
                err.accept("allow", "must have at most " + MAX_ALLOW + " entries");
            }
            int i = 0;
            for (Object o : c) {
                String cidr = o instanceof String s ? AddressRanges.normalise(s) : null;
                if (cidr == null) {
                    err.accept("allow[" + i + "]", "must be an IPv4 or IPv6 address or CIDR block");
                } else {
                    allow.add(cidr);
                }
                i++;
            }
        } else if (a != null) {
            err.accept("allow", "must be an array of CIDR blocks");
        }
        int window = integer(m.get("windowSeconds"), "windowSeconds", 60, 5, 3600, err);
        int capacity = integer(m.get("capacity"), "capacity", 50_000, 1_000, 5_000_000, err);
        int ttl = integer(m.get("ttlSeconds"), "ttlSeconds", 600, 10, 31_536_000, err);
        int maxTtl = integer(m.get("maxTtlSeconds"), "maxTtlSeconds", 86_400, 10, 31_536_000, err);
        if (maxTtl < ttl) {
            err.accept("maxTtlSeconds", "must be at least ttlSeconds");
        }
        String login = DEFAULT_LOGIN_PATHS;
        Object lp = m.get("loginPaths");
        if (lp instanceof String s && !s.isBlank() && s.length() <= 1000) {
            try {
                Pattern.compile(s);
                login = s;
            } catch (PatternSyntaxException e) {
                err.accept("loginPaths", "must be a regular expression");
            }
        } else if (lp != null) {
            err.accept("loginPaths", "must be a regular expression of at most 1000 characters");
        }
        Map<String, Detector> detectors = new LinkedHashMap<>();
        Object dsObj = m.get("detectors");
        Map<?, ?> ds = dsObj instanceof Map<?, ?> x ? x : Map.of();
        if (dsObj != null && !(dsObj instanceof Map)) {
            err.accept("detectors", "must be an object");
        }
        for (Object k : ds.keySet()) {
            if (!PARAMS.containsKey(String.valueOf(k))) {
                err.accept("detectors." + k, "is not a detector (one of " + DETECTORS + ")");
            }
        }
        for (String name : DETECTORS) {
            Object dObj = ds.get(name);
            String f = "detectors." + name;
            Map<?, ?> d = dObj instanceof Map<?, ?> x ? x : Map.of();
            if (dObj != null && !(dObj instanceof Map)) {
                err.accept(f, "must be an object");
            }
            Map<String, double[]> spec = PARAMS.get(name);
            Set<String> keys = new java.util.HashSet<>(spec.keySet());
            keys.add("mode");
            keys.add("action");
            known(d, keys, f + ".", err);
            String dm = d.get("mode") == null ? null : choice(d.get("mode"), f + ".mode", DETECTOR_MODES, null, err);
            String action =
                    choice(d.get("action"), f + ".action", ACTIONS, FLOOD.equals(name) ? "limit" : "block", err);
            Map<String, Double> p = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : spec.entrySet()) {
                double[] r = e.getValue();
                Object v = d.get(e.getKey());
                double value = r[0];
                if (v instanceof Number num
                        && !Double.isNaN(num.doubleValue())
                        && num.doubleValue() >= r[1]
                        && num.doubleValue() <= r[2]) {
                    value = num.doubleValue();
                } else if (v != null) {
                    err.accept(f + "." + e.getKey(), "must be a number between " + fmt(r[1]) + " and " + fmt(r[2]));
                }
                p.put(e.getKey(), value);
            }
            detectors.put(name, new Detector(dm, action, p));
        }
        List<Rule> rules = rules(m.get("rules"), err);
        if (failures[0] > 0) {
            return null;
        }
        return new Settings(mode, allow, window, capacity, ttl, maxTtl, detectors, rules, login);
    }

    private static List<Rule> rules(Object o, BiConsumer<String, String> err) {
        if (o == null) {
            return Rules.defaults();
        }
        if (!(o instanceof Collection<?> c)) {
            err.accept("rules", "must be an array");
            return List.of();
        }
        if (c.size() > MAX_RULES) {
            err.accept("rules", "must have at most " + MAX_RULES + " rules");
            return List.of();
        }
        List<Rule> out = new ArrayList<>();
        int i = 0;
        for (Object x : c) {
            String f = "rules[" + i++ + "]";
            if (!(x instanceof Map<?, ?> r)) {
                err.accept(f, "must be an object");
                continue;
            }
            known(r, Set.of("id", "target", "regex", "pattern", "weight", "missingOnly"), f + ".", err);
            Object id = r.get("id");
            if (!(id instanceof String s) || s.isBlank() || s.length() > 64) {
                err.accept(f + ".id", "must be a name of 1 to 64 characters");
            }
            String target = choice(r.get("target"), f + ".target", Set.of(Rule.PATH, Rule.USER_AGENT), Rule.PATH, err);
            Object re = r.get("regex");
            boolean regex = Boolean.TRUE.equals(re);
            if (re != null && !(re instanceof Boolean)) {
                err.accept(f + ".regex", "must be a boolean");
            }
            Object pat = r.get("pattern");
            if (!(pat instanceof String p) || p.isEmpty() || p.length() > 500) {
                err.accept(f + ".pattern", "must be a text of 1 to 500 characters");
                continue;
            }
            if (regex) {
                try {
                    Pattern.compile(p);
                } catch (PatternSyntaxException e) {
                    err.accept(f + ".pattern", "must be a regular expression");
                    continue;
                }
            }
            int weight = integer(r.get("weight"), f + ".weight", 1, 1, 100, err);
            Object mo = r.get("missingOnly");
            if (mo != null && !(mo instanceof Boolean)) {
                err.accept(f + ".missingOnly", "must be a boolean");
            }
            if (id instanceof String s && !s.isBlank() && s.length() <= 64) {
                out.add(new Rule(s, target, regex, p, weight, Boolean.TRUE.equals(mo)));
            }
        }
        return out;
    }

    private static void known(Map<?, ?> m, Set<String> keys, String prefix, BiConsumer<String, String> err) {
        for (Object k : m.keySet()) {
            if (!keys.contains(String.valueOf(k))) {
                String name = String.valueOf(k);
                err.accept(prefix + (name.length() > 100 ? name.substring(0, 100) : name), "is not a known member");
            }
        }
    }

    private static String choice(
            Object v, String field, Set<String> allowed, String dflt, BiConsumer<String, String> err) {
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s && allowed.contains(s)) {
            return s;
        }
        if (v instanceof String s && allowed.contains(s.toLowerCase(Locale.ROOT))) {
            return s.toLowerCase(Locale.ROOT);
        }
        err.accept(field, "must be one of " + new java.util.TreeSet<>(allowed));
        return dflt;
    }

    private static int integer(Object v, String field, int dflt, int min, int max, BiConsumer<String, String> err) {
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= min
                && n.doubleValue() <= max) {
            return n.intValue();
        }
        err.accept(field, "must be an integer between " + min + " and " + max);
        return dflt;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
