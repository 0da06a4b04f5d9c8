package dev.fleetgate.firewall.detect.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.fleetgate.firewall.detect.Analyzer;
import dev.fleetgate.firewall.detect.Decision;
import dev.fleetgate.firewall.detect.LogParser;
import dev.fleetgate.firewall.detect.Request;
import dev.fleetgate.firewall.detect.Settings;

/** Runs the detectors over labelled traffic and counts, per detector, right and wrong decisions. */
public final class Evaluation {

    /**
     * @param decided      clients the detector decided on
     * @param onTarget     … whose label is the kind it is meant for
     * @param otherAttack  … that are attackers of another kind (right to isolate, other detector's job)
     * @param benign       … that are benign: false positives
     * @param targets      clients labelled with the kind the detector is meant for
     * @param caught       targets this detector decided on
     * @param caughtAny    targets some detector decided on
     */
    public record Row(
            String detector,
            int decided,
            int onTarget,
            int otherAttack,
            int benign,
            int targets,
            int caught,
            int caughtAny) {
        public double precision() {
            return decided == 0 ? 1 : (decided - benign) / (double) decided;
        }

        public double recall() {
            return targets == 0 ? 1 : caught / (double) targets;
        }

        public double recallAny() {
            return targets == 0 ? 1 : caughtAny / (double) targets;
        }
    }

    /** @param benignBlocked benign clients decided on by any detector, with their label and detector */
    public record Report(
            List<Row> rows, int benignClients, int attackers, int attackersCaught, List<String> benignBlocked) {
        public String table() {
            StringBuilder b = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%-11s %8s %8s %8s %8s %8s %10s %8s %9s%n",
                    "detector",
                    "decided",
                    "target",
                    "other",
                    "benign",
                    "targets",
                    "precision",
                    "recall",
                    "recallAny"));
            for (Row r : rows) {
                b.append(String.format(
                        Locale.ROOT,
                        "%-11s %8d %8d %8d %8d %8d %10.3f %8.3f %9.3f%n",
                        r.detector(),
                        r.decided(),
                        r.onTarget(),
                        r.otherAttack(),
                        r.benign(),
                        r.targets(),
                        r.precision(),
                        r.recall(),
                        r.recallAny()));
            }
            b.append(String.format(
                    Locale.ROOT,
                    "benign clients %d, benign decided %d; attackers %d, caught %d%n",
                    benignClients,
                    benignBlocked.size(),
                    attackers,
                    attackersCaught));
            return b.toString();
        }
    }

    private Evaluation() {}

    /**
     * @param format {@code direct} (requests fed as they are, as live), {@code json} or {@code combined} (each
     *               request formatted to a log line and parsed back, as a replay)
     */
    public static Report run(TrafficGenerator.Traffic traffic, Settings settings, String format) {
        Map<String, Set<String>> byDetector = new LinkedHashMap<>();
        for (String d : Settings.DETECTORS) {
            byDetector.put(d, new HashSet<>());
        }
        Map<String, String> firstDetector = new HashMap<>();
        Analyzer analyzer = new Analyzer(settings, List.of(), (Decision d) -> {
            byDetector.get(d.detector()).add(d.client());
            firstDetector.putIfAbsent(d.client(), d.detector());
        });
        LogParser parser = new LogParser();
        long n = 0;
        for (Request r : traffic.requests()) {
            n++;
            Request fed =
                    switch (format) {
                        case "direct" -> r;
                        case "json" -> parser.parse(TrafficGenerator.json(r));
                        case "combined" -> parser.parse(TrafficGenerator.combined(r));
                        default -> throw new IllegalArgumentException(format);
                    };
            analyzer.accept(fed, n);
        }
        Map<String, String> labels = traffic.labels();
        Set<String> any = new HashSet<>(firstDetector.keySet());
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : byDetector.entrySet()) {
            String det = e.getKey();
            int onTarget = 0;
            int other = 0;
            int benign = 0;
            for (String client : e.getValue()) {
                String label = labels.get(client);
                if (TrafficGenerator.BENIGN.contains(label)) {
                    benign++;
                } else if (det.equals(TrafficGenerator.ATTACKS.get(label))) {
                    onTarget++;
                } else {
                    other++;
                }
            }
            int targets = 0;
            int caught = 0;
            int caughtAny = 0;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (det.equals(TrafficGenerator.ATTACKS.get(l.getValue()))) {
                    targets++;
                    caught += e.getValue().contains(l.getKey()) ? 1 : 0;
                    caughtAny += any.contains(l.getKey()) ? 1 : 0;
                }
            }
            rows.add(new Row(det, e.getValue().size(), onTarget, other, benign, targets, caught, caughtAny));
        }
        int benignClients = 0;
        int attackers = 0;
        int attackersCaught = 0;
        List<String> benignBlocked = new ArrayList<>();
        for (Map.Entry<String, String> l : labels.entrySet()) {
            if (TrafficGenerator.BENIGN.contains(l.getValue())) {
                benignClients++;
                if (any.contains(l.getKey())) {
                    benignBlocked.add(l.getKey() + " (" + l.getValue() + ", " + firstDetector.get(l.getKey()) + ")");
                }
            } else {
                attackers++;
                attackersCaught += any.contains(l.getKey()) ? 1 : 0;
            }
        }
        return new Report(rows, benignClients, attackers, attackersCaught, benignBlocked);
    }
}
