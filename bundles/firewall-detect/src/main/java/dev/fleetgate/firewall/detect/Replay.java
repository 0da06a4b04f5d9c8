package dev.fleetgate.firewall.detect;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Offline replay: parses a log and runs the {@link Analyzer} over it, as live detection would, answering which
 * clients would be blocked, at which line and why. Each client is reported once (its first decision).
 */
public final class Replay {
    /** @param lines lines read; @param parsed lines that were requests; @param seconds time spent */
    public record Result(long lines, long parsed, double seconds, List<Decision> decisions, boolean truncated) {
        /** @return lines per second of the whole replay (parse + detect) */
        public double linesPerSecond() {
            return seconds <= 0 ? 0 : lines / seconds;
        }
    }

    /** Longest line kept (the rest of a longer line is ignored). */
    public static final int MAX_LINE = 16_384;

    private Replay() {}

    private static void append(StringBuilder line, char[] buf, int from, int to) {
        int room = MAX_LINE - line.length();
        if (room > 0) {
            line.append(buf, from, Math.min(to - from, room));
        }
    }

    private static int feed(LogParser parser, Analyzer analyzer, StringBuilder line, long number) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        Request r = parser.parse(line.substring(0, end));
        if (r == null) {
            return 0;
        }
        analyzer.accept(r, number);
        return 1;
    }

    /**
     * @param in           the log, one request per line (a line longer than {@value #MAX_LINE} characters is cut there)
     * @param settings     detector settings (off detectors decide nothing; shadow ones are reported too)
     * @param neverBlock   addresses never reported (see {@link Analyzer})
     * @param maxDecisions most clients reported (the rest is counted out: {@code truncated})
     */
    public static Result run(Reader in, Settings settings, Collection<String> neverBlock, int maxDecisions)
            throws IOException {
        List<Decision> out = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        boolean[] truncated = {false};
        Analyzer analyzer = new Analyzer(settings, neverBlock, d -> {
            if (reported.contains(d.client())) {
                return;
            }
            if (out.size() >= maxDecisions) {
                truncated[0] = true;
                return;
            }
            reported.add(d.client());
            out.add(d);
        });
        LogParser parser = new LogParser();
        long start = System.nanoTime();
        long lines = 0;
        long parsed = 0;
        char[] buf = new char[1 << 16];
        StringBuilder line = new StringBuilder(512);
        boolean pending = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                append(line, buf, from, i);
                lines++;
                parsed += feed(parser, analyzer, line, lines);
                line.setLength(0);
                pending = false;
                from = i + 1;
            }
            if (from < n) {
                append(line, buf, from, n);
                pending = true;
            }
        }
        if (pending) {
            lines++;
            parsed += feed(parser, analyzer, line, lines);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(lines, parsed, seconds, out, truncated[0]);
    }
}
