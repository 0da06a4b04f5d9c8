package dev.fleetgate.metrics.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The common case of a sync's {@code metrics} array read straight from the request bytes, without
 * Jackson's tokenizer: well-formed series of ASCII names and string labels, points of an integer
 * time and a number, every one accepted. Anything else — an escape, a non-ASCII byte, an unknown
 * or repeated field, a label that is not a string, a malformed or rejected series or point, an
 * out-of-range time — makes it give up ({@link #read} returns null), and {@link BatchParser}'s
 * Jackson reader reads the batch instead, with its lenient per-element rules. So for any input this
 * reader either gives the same batch as the Jackson reader or none; {@code BatchParserTest} checks
 * both readers on every shape it parses.
 *
 * <p>Why: Jackson's tokenizer and number parsing were two thirds of the core's CPU while ingesting
 * (JFR, 2026-12-05); most of that is generality a well-behaved agent's batch does not need.
 */
final class FastBatchReader {
    /** Thrown to give up; no stack trace, one instance. */
    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();

    /** 10^0 .. 10^22: exactly representable as doubles. */
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /** A parsed name or label map standing for the one a remembered series had (a second one gives up). */
    private static final Map<String, String> KNOWN_LABELS = Map.of();

    private final byte[] b;
    private final int end;
    private final Map<SentSeries.Span, SentSeries.Known> known;
    private int i;

    private FastBatchReader(byte[] b, int offset, int length, Map<SentSeries.Span, SentSeries.Known> known) {
        this.b = b;
        this.i = offset;
        this.end = offset + length;
        this.known = known;
    }

    /**
     * @param known the sending agent's remembered series ({@link SentSeries#of}), or null: a series
     *              sent in the same bytes as one of them is not read again. Every series read in full
     *              carries its bytes ({@link BatchParser.Series#sent}) for the caller to remember.
     * @return the batch, or null when the bytes are not the common case (read them with Jackson)
     */
    static BatchParser.Batch read(
            String agentId,
            byte[] json,
            int offset,
            int length,
            long oldest,
            long newest,
            int maxPoints,
            Map<SentSeries.Span, SentSeries.Known> known) {
        try {
            return new FastBatchReader(json, offset, length, known).batch(agentId, oldest, newest, maxPoints);
        } catch (GiveUp | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private BatchParser.Batch batch(String agentId, long oldest, long newest, int maxPoints) {
        List<BatchParser.Series> out = new ArrayList<>();
        long[] ts = new long[64];
        double[] vs = new double[64];
        int points = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        expect('[');
        if (peek() == ']') {
            i++;
        } else {
            do {
                expect('{');
                String name = null;
                Map<String, String> labels = null;
                SentSeries.Known hit = null;
                SentSeries.Span sent = null;
                int from = i;
                int to = keyFieldsEnd();
                if (to > 0) {
                    sent = SentSeries.Span.probe(b, from, to);
                    hit = known == null ? null : known.get(sent);
                    if (hit != null) {
                        i = to;
                        name = hit.key().name();
                        labels = KNOWN_LABELS;
                    }
                }
                int n = -1;
                do {
                    String field = string();
                    expect(':');
                    switch (field) {
                        case "name" -> {
                            name = name == null ? string() : giveUp();
                            if (!Names.isMetricName(name)) {
                                giveUp();
                            }
                        }
                        case "labels" -> labels = labels == null ? labels() : giveUp();
                        case "points" -> {
                            if (n >= 0) {
                                giveUp();
                            }
                            n = 0;
                            expect('[');
                            if (peek() == ']') {
                                i++;
                            } else {
                                do {
                                    if (n == ts.length) {
                                        ts = java.util.Arrays.copyOf(ts, n * 2);
                                        vs = java.util.Arrays.copyOf(vs, n * 2);
                                    }
                                    expect('[');
                                    long t = time();
                                    expect(',');
                                    double v = value();
                                    expect(']');
                                    if (t < oldest || t >= newest || !Double.isFinite(v) || points + n >= maxPoints) {
                                        giveUp();
                                    }
                                    ts[n] = t;
                                    vs[n] = v;
                                    n++;
                                    min = Math.min(min, t);
                                    max = Math.max(max, t);
                                } while (next(']'));
                            }
                        }
                        default -> giveUp();
                    }
                } while (next('}'));
                if (name == null || n < 0) {
                    giveUp();
                }
                if (n == 0) {
                    continue;
                }
                points += n;
                long[] t = java.util.Arrays.copyOf(ts, n);
                double[] v = java.util.Arrays.copyOf(vs, n);
                if (hit != null) {
                    out.add(new BatchParser.Series(hit.key(), t, v, hit.id(), null));
                } else {
                    Map<String, String> all = labels == null ? new TreeMap<>() : labels;
                    all.put(Names.AGENT, agentId);
                    out.add(new BatchParser.Series(
                            SeriesKey.of(name, all), t, v, -1, sent == null ? null : sent.copy()));
                }
            } while (next(']'));
        }
        while (i < end && isSpace(b[i])) {
            i++;
        }
        if (i != end) {
            giveUp();
        }
        return new BatchParser.Batch(out, points, 0, 0, min, max);
    }

    /**
     * Where a series object's {@code "points"} field starts when the object (read up to its
     * {@code '{'}) begins with exactly its {@code "name"} and {@code "labels"} fields, in either order,
     * both well-formed as {@link #batch} accepts them (not yet checked as names); else -1. The bytes
     * before that point are all the series' identity, as agents send it. Moves nothing, gives up on
     * nothing: the object is then read in full.
     */
    private int keyFieldsEnd() {
        int start = i;
        try {
            boolean name = false;
            boolean labels = false;
            while (!(name && labels)) {
                skipSpace();
                if (!name && at("\"name\"")) {
                    name = true;
                    i += 6;
                    expect(':');
                    skipString();
                } else if (!labels && at("\"labels\"")) {
                    labels = true;
                    i += 8;
                    expect(':');
                    skipLabels();
                } else {
                    return -1;
                }
                if (!next('}')) {
                    return -1;
                }
            }
            skipSpace();
            return at("\"points\"") ? i : -1;
        } catch (GiveUp | ArrayIndexOutOfBoundsException e) {
            return -1;
        } finally {
            i = start;
        }
    }

    private boolean at(String ascii) {
        if (i + ascii.length() > end) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            if (b[i + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private void skipLabels() {
        if (peek() == 'n') {
            literal("null");
            return;
        }
        expect('{');
        if (peek() == '}') {
            i++;
            return;
        }
        do {
            skipString();
            expect(':');
            skipString();
        } while (next('}'));
    }

    /** Moves past a string of printable ASCII without escapes. @return where its text starts */
    private int skipString() {
        expect('"');
        int start = i;
        for (byte c = b[i]; c != '"'; c = b[++i]) {
            if (c < 0x20 || c == '\\' || c == 0x7f) { // negative bytes (non-ASCII) too
                giveUp();
            }
        }
        i++;
        return start;
    }

    private Map<String, String> labels() {
        Map<String, String> labels = new TreeMap<>();
        if (peek() == 'n') {
            literal("null");
            return labels;
        }
        expect('{');
        if (peek() == '}') {
            i++;
            return labels;
        }
        do {
            String name = string();
            expect(':');
            String value = string();
            if (!Names.isLabelName(name) || !Names.isLabelValue(value) || labels.put(name, value) != null) {
                giveUp();
            }
        } while (next('}'));
        if (labels.size() > Names.MAX_LABELS) {
            giveUp();
        }
        return labels;
    }

    /** A string of printable ASCII without escapes. */
    private String string() {
        int start = skipString();
        return new String(b, start, i - 1 - start, StandardCharsets.ISO_8859_1);
    }

    /** An integer literal of at most 18 digits (no fraction, no exponent). */
    private long time() {
        skipSpace();
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        int start = i;
        long v = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i++] - '0');
        }
        int digits = i - start;
        if (digits == 0 || digits > 18 || (digits > 1 && b[start] == '0') || isNumberPart(b[i])) {
            giveUp();
        }
        return negative ? -v : v;
    }

    private static boolean isNumberPart(byte c) {
        return c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9');
    }

    /**
     * A JSON number as the nearest double (as Jackson reads it): exact by one multiplication or
     * division when the digits fit 2^53 and the exponent 10^±22 (both factors are exact doubles, so
     * IEEE rounding of the one operation is the correct rounding); {@link Double#parseDouble}
     * otherwise. An integer literal reads as {@code (double) long} (so {@code -0} is 0.0, as Jackson).
     */
    private double value() {
        skipSpace();
        int start = i;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        long m = 0;
        int significant = 0;
        int intStart = i;
        while (b[i] >= '0' && b[i] <= '9') {
            if (m != 0 || b[i] != '0') {
                significant++;
            }
            m = m * 10 + (b[i++] - '0');
        }
        int intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
            giveUp();
        }
        int scale = 0;
        boolean integral = true;
        if (b[i] == '.') {
            integral = false;
            int fracStart = ++i;
            while (b[i] >= '0' && b[i] <= '9') {
                if (m != 0 || b[i] != '0') {
                    significant++;
                }
                m = m * 10 + (b[i++] - '0');
            }
            scale = i - fracStart;
            if (scale == 0) {
                giveUp();
            }
        }
        int exp = 0;
        if (b[i] == 'e' || b[i] == 'E') {
            integral = false;
            i++;
            boolean expNegative = b[i] == '-';
            if (b[i] == '-' || b[i] == '+') {
                i++;
            }
            int expStart = i;
            while (b[i] >= '0' && b[i] <= '9') {
                exp = exp * 10 + (b[i++] - '0');
                if (i - expStart > 6) {
                    giveUp();
                }
            }
            if (i == expStart) {
                giveUp();
            }
            exp = expNegative ? -exp : exp;
        }
        if (significant > 18) { // m overflowed or is past 2^53: let the JDK round it
            return Double.parseDouble(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
        }
        if (integral) {
            return negative ? (double) -m : (double) m;
        }
        int e10 = exp - scale;
        double d;
        if (m == 0) {
            d = 0;
        } else if (m < (1L << 53) && e10 >= -22 && e10 <= 22) {
            d = e10 < 0 ? m / POW10[-e10] : m * POW10[e10];
        } else {
            return Double.parseDouble(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
        }
        return negative ? -d : d;
    }

    private void literal(String word) {
        skipSpace();
        for (int k = 0; k < word.length(); k++) {
            if (b[i++] != word.charAt(k)) {
                giveUp();
            }
        }
    }

    private void expect(char c) {
        skipSpace();
        if (b[i] != c) {
            giveUp();
        }
        i++;
    }

    /** @return true after a comma, false after {@code close}; gives up on anything else */
    private boolean next(char close) {
        skipSpace();
        byte c = b[i++];
        if (c == ',') {
            return true;
        }
        if (c != close) {
            giveUp();
        }
        return false;
    }

    private byte peek() {
        skipSpace();
        return b[i];
    }

    private void skipSpace() {
        while (i < end && isSpace(b[i])) {
            i++;
        }
        if (i >= end) {
            giveUp();
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static <T> T giveUp() {
        throw GIVE_UP;
    }
}
