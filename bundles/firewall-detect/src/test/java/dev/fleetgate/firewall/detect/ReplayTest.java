package dev.fleetgate.firewall.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.fleetgate.firewall.detect.sim.TrafficGenerator;

class ReplayTest {
    private static final TrafficGenerator.Traffic TRAFFIC = new TrafficGenerator(7, 0.2, 300).generate();

    private static Replay.Result replay(Function<Request, String> format) throws Exception {
        String log = "garbage line\n" + TRAFFIC.requests().stream().map(format).collect(Collectors.joining("\n"));
        return Replay.run(new StringReader(log), Settings.defaults(), List.of(), 10_000);
    }

    @Test
    void replayDecidesAsLiveDetection() throws Exception {
        Replay.Result json = replay(TrafficGenerator::json);
        assertEquals(json.lines(), json.parsed() + 1);
        // live: the same requests fed directly, first decision per client
        List<String> live = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Analyzer a = new Analyzer(Settings.defaults(), List.of(), d -> {
            if (seen.add(d.client())) {
                live.add(d.client() + " " + d.detector() + " " + d.line());
            }
        });
        long n = 1;
        for (Request r : TRAFFIC.requests()) {
            a.accept(r, ++n);
        }
        assertTrue(!live.isEmpty());
        assertEquals(
                live,
                json.decisions().stream()
                        .map(d -> d.client() + " " + d.detector() + " " + d.line())
                        .toList());
        for (Decision d : json.decisions()) {
            assertTrue(d.samples().stream().anyMatch(s -> s.contains(d.client())), d.toString());
        }
    }

    @Test
    void replaysCombinedLogs() throws Exception {
        Replay.Result combined = replay(TrafficGenerator::combined);
        assertEquals(combined.lines(), combined.parsed() + 1);
        assertTrue(!combined.decisions().isEmpty());
        for (Decision d : combined.decisions()) {
            assertTrue(d.line() > 1 && d.line() <= combined.lines());
        }
    }

    @Test
    void truncatesTheAnswer() throws Exception {
        TrafficGenerator.Traffic t = new TrafficGenerator(8, 0.2, 300).generate();
        String log = t.requests().stream().map(TrafficGenerator::json).collect(Collectors.joining("\n"));
        Replay.Result r = Replay.run(new StringReader(log), Settings.defaults(), List.of(), 1);
        assertEquals(1, r.decisions().size());
        assertTrue(r.truncated());
    }
}
