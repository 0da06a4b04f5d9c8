package dev.fleetgate.firewall.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetgate.firewall.detect.sim.Evaluation;
import dev.fleetgate.firewall.detect.sim.TrafficGenerator;

/**
 * Precision and recall on generated labelled logs, several seeds (other seeds than the bench's): the detectors
 * must catch most attackers and almost never a benign client (people, crawlers, monitors, offices behind NAT).
 */
class DetectorQualityTest {

    @ParameterizedTest
    @ValueSource(longs = {101, 202, 303, 404})
    void catchesAttackersAndSparesPeople(long seed) {
        TrafficGenerator.Traffic t = new TrafficGenerator(seed, 0.5, 600).generate();
        Evaluation.Report r = Evaluation.run(t, Settings.defaults(), "direct");
        System.out.printf("seed %d, %,d requests%n%s", seed, t.requests().size(), r.table());
        r.benignBlocked().forEach(b -> System.out.println("  benign decided: " + b));
        assertTrue(r.benignBlocked().size() <= Math.max(1, r.benignClients() / 1000), r.table());
        assertTrue(r.attackersCaught() >= 0.8 * r.attackers(), r.table());
    }

    /** Fleetgate JSON lines (path and query in members of their own) replay exactly as the live requests. */
    @Test
    void jsonReplayDecidesAsLive() {
        TrafficGenerator.Traffic t = new TrafficGenerator(505, 0.3, 600).generate();
        assertTrue(t.requests().stream().anyMatch(r -> r.path().contains("?page=2&q=shoes")));
        assertTrue(t.requests().stream().anyMatch(r -> r.path().contains("?id=1%27%20UNION")));
        assertEquals(
                Evaluation.run(t, Settings.defaults(), "direct").table(),
                Evaluation.run(t, Settings.defaults(), "json").table());
    }
}
