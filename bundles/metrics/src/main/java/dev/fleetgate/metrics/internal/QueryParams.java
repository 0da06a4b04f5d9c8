package dev.fleetgate.metrics.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.input.Fields;

/**
 * Parses and validates the query parameters of {@code /metrics/query}, {@code /top} and
 * {@code /latest}. Every parameter that is not one of the endpoint's own is a label matcher
 * ({@code agent=…}); {@code label.<name>=…} names a label whose name is taken by a parameter.
 * Every error names its parameter (400 with {@code errors[{field, message}]}).
 */
public final class QueryParams {
    /** Aggregations over a step: per series, except {@code sum} (across series). */
    public enum Agg {
        AVG,
        MIN,
        MAX,
        SUM,
        RATE,
        P95;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A range query. {@code step} is already raised to the chosen resolution's bucket. */
    public record Range(
            String name, Map<String, String> matchers, long from, long to, long step, Agg agg, Resolution resolution) {
        /** @return how many step buckets {@code [from, to)} spans */
        public long buckets() {
            return Math.floorDiv(to - 1, step) - Math.floorDiv(from, step) + 1;
        }
    }

    /** Top-N of label values by a metric over a window ending now. */
    public record Top(
            String name,
            Map<String, String> matchers,
            String by,
            int n,
            long from,
            long to,
            Agg agg,
            Resolution resolution) {}

    /** Latest values, optionally summed by a label. */
    public record Latest(String name, Map<String, String> matchers, String by, long maxAgeMillis) {}

    static final Set<String> RANGE_PARAMS = Set.of("name", "from", "to", "step", "agg", "resolution");
    static final Set<String> TOP_PARAMS = Set.of("name", "by", "n", "window", "agg");
    static final Set<String> LATEST_PARAMS = Set.of("name", "by", "maxAge");
    /** Steps the default step is rounded up to. */
    private static final long[] NICE_STEPS = {
        1_000,
        5_000,
        10_000,
        15_000,
        30_000,
        60_000,
        120_000,
        300_000,
        600_000,
        900_000,
        1_800_000,
        3_600_000,
        7_200_000,
        10_800_000,
        21_600_000,
        43_200_000,
        86_400_000
    };
    /** Points the default step aims at. */
    static final int DEFAULT_POINTS = 300;

    static final int MAX_TOP = 100;

    private final Map<String, List<String>> params;
    private final Fields errors = new Fields();

    private QueryParams(Map<String, List<String>> params) {
        this.params = params;
    }

    public static Range range(Map<String, List<String>> params, long now, Settings settings) {
        QueryParams q = new QueryParams(params);
        String name = q.name();
        Map<String, String> matchers = q.matchers(RANGE_PARAMS);
        Long to = q.time("to", now, now);
        Long from = q.time("from", to == null ? now : to - 3_600_000L, now);
        String stepText = q.single("step");
        Long step = stepText == null ? null : TimeText.duration(stepText);
        if (stepText != null && (step == null || step < 1000)) {
            q.error("step", "must be a duration of at least 1s, like 10s, 1m, 1h");
        }
        Agg agg = q.agg(Set.of(Agg.values()));
        Resolution forced = null;
        String res = q.single("resolution");
        if (res != null && (forced = Resolution.ofLabel(res)) == null) {
            q.error("resolution", "must be raw, 1m or 1h");
        }
        if (from != null && to != null && from >= to) {
            q.error("from", "must be before to");
        }
        q.check();
        long wanted = step != null ? step : defaultStep(to - from);
        Resolution r = forced != null ? forced : choose(from, wanted, now, settings);
        Range range = new Range(name, matchers, from, to, Math.max(wanted, r.bucketMillis()), agg, r);
        if (range.buckets() > settings.maxPointsPerSeries()) {
            throw ApiException.invalid(
                    step == null ? "from" : "step",
                    "the range has " + range.buckets() + " steps; at most " + settings.maxPointsPerSeries()
                            + " are allowed: shorten it or raise the step");
        }
        return range;
    }

    public static Top top(Map<String, List<String>> params, long now, Settings settings) {
        QueryParams q = new QueryParams(params);
        String name = q.name();
        Map<String, String> matchers = q.matchers(TOP_PARAMS);
        String by = q.label("by", true);
        Integer n = q.integer("n", 1, MAX_TOP, 10);
        String w = q.single("window");
        Long window = w == null ? Long.valueOf(300_000L) : TimeText.duration(w);
        long maxWindow = settings.retention(Resolution.HOUR).toMillis();
        if (window == null || window < 1000 || window > maxWindow) {
            q.error("window", "must be a duration from 1s to " + TimeText.format(maxWindow) + ", like 5m");
        }
        Agg agg = q.agg(Set.of(Agg.AVG, Agg.MIN, Agg.MAX, Agg.P95));
        q.check();
        // A tenth of the window: rollup buckets cut at most about a tenth off its start.
        Resolution r = choose(now - window, window / 10, now, settings);
        return new Top(name, matchers, by, n, now - window, now, agg, r);
    }

    public static Latest latest(Map<String, List<String>> params, Settings settings) {
        QueryParams q = new QueryParams(params);
        String name = q.name();
        Map<String, String> matchers = q.matchers(LATEST_PARAMS);
        String by = q.label("by", false);
        String m = q.single("maxAge");
        Long maxAge = m == null ? Long.valueOf(settings.latestMaxAgeSeconds() * 1000L) : TimeText.duration(m);
        if (maxAge == null || maxAge < 1000 || maxAge > settings.latestMaxAgeSeconds() * 1000L) {
            q.error(
                    "maxAge",
                    "must be a duration from 1s to " + TimeText.format(settings.latestMaxAgeSeconds() * 1000L));
        }
        q.check();
        return new Latest(name, matchers, by, maxAge);
    }

    /**
     * The coarsest resolution whose bucket fits in {@code step}, or a coarser one when its
     * retention does not reach back to {@code from}.
     */
    public static Resolution choose(long from, long step, long now, Settings settings) {
        Resolution r = step >= Resolution.HOUR.bucketMillis()
                ? Resolution.HOUR
                : step >= Resolution.MINUTE.bucketMillis() ? Resolution.MINUTE : Resolution.RAW;
        while (r != Resolution.HOUR && from < now - settings.retention(r).toMillis()) {
            r = r.coarser();
        }
        return r;
    }

    /** @return the nice step giving at most about {@value #DEFAULT_POINTS} points over {@code range} */
    public static long defaultStep(long range) {
        long raw = (range + DEFAULT_POINTS - 1) / DEFAULT_POINTS;
        for (long s : NICE_STEPS) {
            if (s >= raw) {
                return s;
            }
        }
        return (raw + 86_399_999L) / 86_400_000L * 86_400_000L;
    }

    private String name() {
        String name = single("name");
        if (name == null) {
            error("name", "is required");
        } else if (!Names.isMetricName(name)) {
            error(
                    "name",
                    "must be a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*, at most " + Names.MAX_NAME + " characters)");
        }
        return name;
    }

    private Map<String, String> matchers(Set<String> own) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String key = e.getKey();
            if (own.contains(key)) {
                continue;
            }
            String label = key.startsWith("label.") ? key.substring("label.".length()) : key;
            if (!Names.isLabelName(label)) {
                error(key, "is not a parameter of this endpoint nor a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            } else if (e.getValue().size() != 1) {
                error(key, "must be given once");
            } else if (!Names.isLabelValue(e.getValue().get(0))) {
                error(key, "must be at most " + Names.MAX_LABEL_VALUE + " characters without control characters");
            } else if (out.put(label, e.getValue().get(0)) != null) {
                error(key, "must be given once");
            }
        }
        if (out.size() > Names.MAX_LABELS) {
            error("labels", "at most " + Names.MAX_LABELS + " label matchers");
        }
        return out;
    }

    private String label(String key, boolean required) {
        String v = single(key);
        if (v == null && required) {
            error(key, "is required (a label name)");
        } else if (v != null && !Names.isLabelName(v)) {
            error(key, "must be a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        }
        return v;
    }

    private Long time(String key, long dflt, long now) {
        String v = single(key);
        if (v == null) {
            return dflt;
        }
        Long t = TimeText.time(v, now);
        if (t == null) {
            error(key, "must be an ISO-8601 time, epoch milliseconds or now[-duration]");
        }
        return t;
    }

    private Integer integer(String key, int min, int max, int dflt) {
        return errors.integer(single(key), key, min, max, dflt);
    }

    private Agg agg(Set<Agg> allowed) {
        String v = single("agg");
        if (v == null) {
            return Agg.AVG;
        }
        for (Agg a : allowed) {
            if (a.label().equals(v.strip())) {
                return a;
            }
        }
        error(
                "agg",
                "must be one of " + allowed.stream().map(Agg::label).sorted().toList());
        return null;
    }

    private String single(String key) {
        List<String> v = params.get(key);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            error(key, "must be given once");
            return null;
        }
        String s = v.get(0);
        return s == null || s.isBlank() ? null : s;
    }

    private void error(String field, String message) {
        errors.error(field, message);
    }

    private void check() {
        errors.check();
    }
}
