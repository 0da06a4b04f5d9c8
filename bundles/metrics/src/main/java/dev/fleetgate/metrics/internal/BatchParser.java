package dev.fleetgate.metrics.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a sync's {@code metrics} array: {@code [{"name", "labels": {}, "points": [[epochMillis,
 * value], ...]}]}. Lenient per element: a malformed series or point is skipped and counted,
 * never failing the batch (an agent would resend a batch that fails for ever). The label
 * {@code agent} is set to the sending agent, overriding what it sent.
 */
public final class BatchParser {

    /** A series as parsed; the arrays hold only the accepted points. */
    public record Series(SeriesKey key, long[] ts, double[] values) {
    }

    /**
     * @param series         the accepted series (points sorted as sent)
     * @param points         the accepted points
     * @param rejectedSeries series skipped as malformed
     * @param rejectedPoints points skipped (malformed, out of the storable time range, over the limit)
     * @param minTs          the oldest accepted point (Long.MAX_VALUE when none)
     * @param maxTs          the newest accepted point (Long.MIN_VALUE when none)
     */
    public record Batch(List<Series> series, int points, int rejectedSeries, int rejectedPoints, long minTs,
            long maxTs) {
    }

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
                if (p.size() != 2 || t == null || !t.canConvertToExactIntegral() || v == null || !v.isNumber()
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
            out.add(new Series(key, k == n ? ts : java.util.Arrays.copyOf(ts, k),
                    k == n ? vs : java.util.Arrays.copyOf(vs, k)));
        }
        return new Batch(out, points, badSeries, badPoints, min, max);
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
                if (!Names.isLabelName(e.getKey()) || v == null || !(v.isTextual() || v.isNumber() || v.isBoolean())
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
