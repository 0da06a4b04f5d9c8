package dev.fleetgate.metrics.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a sync's {@code metrics} array: {@code [{"name", "labels": {}, "points": [[epochMillis,
 * value], ...]}]}. Lenient per element: a malformed series or point is skipped and counted,
 * never failing the batch (an agent would resend a batch that fails for ever). The label
 * {@code agent} is set to the sending agent, overriding what it sent.
 *
 * <p>Two readers with the same outcome: {@link #parse(String, JsonNode)} over a tree, and
 * {@link #parse(String, JsonParser)} straight from the request bytes, token by token, without
 * building a tree (the sync handler hands the raw {@code metrics} array to the sink).
 */
public final class BatchParser {

    /**
     * A series as parsed; the arrays hold only the accepted points.
     *
     * @param id   the series id when already known ({@link SentSeries}), else -1
     * @param sent the bytes the series was sent with, to remember once its id is known; null when
     *             it need not or cannot be remembered
     */
    public record Series(SeriesKey key, long[] ts, double[] values, long id, SentSeries.Span sent) {
        public Series(SeriesKey key, long[] ts, double[] values) {
            this(key, ts, values, -1, null);
        }
    }

    /**
     * @param series         the accepted series (points sorted as sent)
     * @param points         the accepted points
     * @param rejectedSeries series skipped as malformed
     * @param rejectedPoints points skipped (malformed, out of the storable time range, over the limit)
     * @param minTs          the oldest accepted point (Long.MAX_VALUE when none)
     * @param maxTs          the newest accepted point (Long.MIN_VALUE when none)
     */
    public record Batch(
            List<Series> series, int points, int rejectedSeries, int rejectedPoints, long minTs, long maxTs) {}

    private final long oldestMillis;
    private final long newestMillis;
    private final int maxPoints;

    /**
     * @param oldestMillis points before this are rejected (no partition holds them)
     * @param newestMillis points at or after this are rejected
     * @param maxPoints    points accepted at most; the rest is rejected
     */
    public BatchParser(long oldestMillis, long newestMillis, int maxPoints) {
        this.oldestMillis = oldestMillis;
        this.newestMillis = newestMillis;
        this.maxPoints = maxPoints;
    }

    public Batch parse(String agentId, JsonNode metrics) {
        List<Series> out = new ArrayList<>(metrics == null ? 0 : metrics.size());
        int points = 0;
        int badSeries = 0;
        int badPoints = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        if (metrics == null || !metrics.isArray()) {
            return new Batch(out, 0, metrics == null || metrics.isNull() ? 0 : 1, 0, min, max);
        }
        for (JsonNode s : metrics) {
            SeriesKey key = key(agentId, s);
            JsonNode ps = key == null ? null : s.get("points");
            if (ps == null || !ps.isArray()) {
                badSeries++;
                continue;
            }
            int n = ps.size();
            long[] ts = new long[n];
            double[] vs = new double[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                JsonNode p = ps.get(i);
                JsonNode t = p.get(0);
                JsonNode v = p.get(1);
                if (p.size() != 2
                        || t == null
                        || !t.canConvertToExactIntegral()
                        || v == null
                        || !v.isNumber()
                        || points + k >= maxPoints) {
                    badPoints++;
                    continue;
                }
                long time = t.asLong();
                double value = v.asDouble();
                if (time < oldestMillis || time >= newestMillis || !Double.isFinite(value)) {
                    badPoints++;
                    continue;
                }
                ts[k] = time;
                vs[k] = value;
                k++;
                min = Math.min(min, time);
                max = Math.max(max, time);
            }
            if (k == 0) {
                continue;
            }
            points += k;
            out.add(new Series(
                    key, k == n ? ts : java.util.Arrays.copyOf(ts, k), k == n ? vs : java.util.Arrays.copyOf(vs, k)));
        }
        return new Batch(out, points, badSeries, badPoints, min, max);
    }

    /**
     * Reads the {@code metrics} array from request bytes: by {@link FastBatchReader} when it is the
     * common case, else token by token with Jackson (same outcome either way).
     *
     * @throws java.io.IOException when the JSON itself is malformed
     */
    public Batch parse(String agentId, byte[] json, int offset, int length) throws java.io.IOException {
        return parse(agentId, json, offset, length, null);
    }

    /**
     * The same, skipping the series the agent sent before in the same bytes.
     *
     * @param known the agent's remembered series ({@link SentSeries#of}), or null
     */
    public Batch parse(
            String agentId, byte[] json, int offset, int length, java.util.Map<SentSeries.Span, SentSeries.Known> known)
            throws java.io.IOException {
        Batch fast = FastBatchReader.read(agentId, json, offset, length, oldestMillis, newestMillis, maxPoints, known);
        if (fast != null) {
            return fast;
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json, offset, length)) {
            return parse(agentId, p);
        }
    }

    /**
     * Reads the {@code metrics} value token by token, with the same outcome as the tree reader.
     *
     * @param p positioned before the value (its next token is the value's first)
     * @throws java.io.IOException when the JSON itself is malformed
     */
    public Batch parse(String agentId, JsonParser p) throws java.io.IOException {
        List<Series> out = new ArrayList<>();
        JsonToken first = p.nextToken();
        if (first == null || first == JsonToken.VALUE_NULL) {
            return new Batch(out, 0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE);
        }
        if (first != JsonToken.START_ARRAY) {
            p.skipChildren();
            return new Batch(out, 0, 1, 0, Long.MAX_VALUE, Long.MIN_VALUE);
        }
        int[] counts = new int[3]; // points, bad series, bad points
        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
        PointBuffer buf = new PointBuffer();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                counts[1]++;
                continue;
            }
            series(agentId, p, buf, out, counts, range);
        }
        return new Batch(out, counts[0], counts[1], counts[2], range[0], range[1]);
    }

    /** One series object; the parser is on its START_OBJECT. */
    private void series(String agentId, JsonParser p, PointBuffer buf, List<Series> out, int[] counts, long[] range)
            throws java.io.IOException {
        String name = null;
        boolean nameOk = false;
        Map<String, String> labels = new TreeMap<>();
        boolean labelsOk = true;
        boolean hasPoints = false;
        buf.clear();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> {
                    nameOk = v == JsonToken.VALUE_STRING && Names.isMetricName(p.getText());
                    name = nameOk ? p.getText() : null;
                    p.skipChildren();
                }
                case "labels" -> {
                    labels.clear();
                    labelsOk = labels(p, v, labels);
                }
                case "points" -> {
                    buf.clear();
                    hasPoints = v == JsonToken.START_ARRAY;
                    if (hasPoints) {
                        points(p, buf);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (!nameOk || !labelsOk || !hasPoints) {
            counts[1]++;
            return;
        }
        labels.put(Names.AGENT, agentId);
        SeriesKey key = SeriesKey.of(name, labels);
        int n = buf.n;
        long[] ts = new long[n];
        double[] vs = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!buf.ok[i] || counts[0] + k >= maxPoints) {
                counts[2]++;
                continue;
            }
            long time = buf.ts[i];
            double value = buf.vs[i];
            if (time < oldestMillis || time >= newestMillis || !Double.isFinite(value)) {
                counts[2]++;
                continue;
            }
            ts[k] = time;
            vs[k] = value;
            k++;
            range[0] = Math.min(range[0], time);
            range[1] = Math.max(range[1], time);
        }
        if (k == 0) {
            return;
        }
        counts[0] += k;
        out.add(new Series(
                key, k == n ? ts : java.util.Arrays.copyOf(ts, k), k == n ? vs : java.util.Arrays.copyOf(vs, k)));
    }

    private static boolean labels(JsonParser p, JsonToken v, Map<String, String> labels) throws java.io.IOException {
        if (v == JsonToken.VALUE_NULL) {
            return true;
        }
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return false;
        }
        boolean ok = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String label = p.currentName();
            JsonToken lv = p.nextToken();
            String text =
                    switch (lv) {
                        case VALUE_STRING, VALUE_NUMBER_INT -> p.getText();
                        case VALUE_NUMBER_FLOAT -> String.valueOf(p.getDoubleValue());
                        case VALUE_TRUE -> "true";
                        case VALUE_FALSE -> "false";
                        default -> null;
                    };
            p.skipChildren();
            if (text == null || !Names.isLabelName(label) || !Names.isLabelValue(text)) {
                ok = false;
            } else {
                labels.put(label, text);
            }
        }
        return ok && labels.size() <= Names.MAX_LABELS;
    }

    /** The points array (parser on its START_ARRAY): every element recorded, malformed ones marked. */
    private static void points(JsonParser p, PointBuffer buf) throws java.io.IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_ARRAY) {
                p.skipChildren();
                buf.add(0, 0, false);
                continue;
            }
            long time = 0;
            double value = 0;
            boolean ok = true;
            int size = 0;
            for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                if (size == 0) {
                    if (e == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        time = p.getLongValue();
                    } else if (e == JsonToken.VALUE_NUMBER_FLOAT && isIntegral(p.getDoubleValue())) {
                        time = (long) p.getDoubleValue();
                    } else {
                        ok = false;
                    }
                } else if (size == 1) {
                    if (e == JsonToken.VALUE_NUMBER_INT || e == JsonToken.VALUE_NUMBER_FLOAT) {
                        value = p.getDoubleValue();
                    } else {
                        ok = false;
                    }
                }
                p.skipChildren();
                size++;
            }
            buf.add(time, value, ok && size == 2);
        }
    }

    private static boolean isIntegral(double d) {
        return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63;
    }

    /** Points of one series as read, before the range and limit checks; reused across series. */
    private static final class PointBuffer {
        long[] ts = new long[256];
        double[] vs = new double[256];
        boolean[] ok = new boolean[256];
        int n;

        void clear() {
            n = 0;
        }

        void add(long t, double v, boolean good) {
            if (n == ts.length) {
                ts = java.util.Arrays.copyOf(ts, n * 2);
                vs = java.util.Arrays.copyOf(vs, n * 2);
                ok = java.util.Arrays.copyOf(ok, n * 2);
            }
            ts[n] = t;
            vs[n] = v;
            ok[n] = good;
            n++;
        }
    }

    /** @return the series' key with {@code agent} set, or null when name or labels are malformed */
    static SeriesKey key(String agentId, JsonNode s) {
        if (s == null || !s.isObject()) {
            return null;
        }
        JsonNode name = s.get("name");
        if (name == null || !name.isTextual() || !Names.isMetricName(name.textValue())) {
            return null;
        }
        Map<String, String> labels = new TreeMap<>();
        JsonNode ls = s.get("labels");
        if (ls != null && !ls.isNull()) {
            if (!ls.isObject() || ls.size() > Names.MAX_LABELS) {
                return null;
            }
            Iterator<Map.Entry<String, JsonNode>> it = ls.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (!Names.isLabelName(e.getKey())
                        || v == null
                        || !(v.isTextual() || v.isNumber() || v.isBoolean())
                        || !Names.isLabelValue(v.asText())) {
                    return null;
                }
                labels.put(e.getKey(), v.asText());
            }
        }
        labels.put(Names.AGENT, agentId);
        return SeriesKey.of(name.textValue(), labels);
    }
}
