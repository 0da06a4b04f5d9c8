package dev.fleetgate.firewall.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TopClientsTest {
    private static final long MIN = 60_000;

    @Test
    void ranksClientsPerServiceOverTwoPeriods() {
        TopClients top = new TopClients(MIN);
        for (int i = 0; i < 30; i++) {
            top.add(1000 + i, "a", "127.0.0.2", i < 10 ? 404 : 200);
        }
        for (int i = 0; i < 5; i++) {
            top.add(2000 + i, "a", "127.0.0.3", 200);
        }
        top.add(3000, null, "127.0.0.4", 502);
        top.add(MIN + 10, "a", "127.0.0.3", 200); // next period: previous + current are added
        Map<String, List<TopClients.Entry>> t = top.top(MIN + 20, 10);
        assertEquals(
                List.of(new TopClients.Entry("127.0.0.2", 30, 10), new TopClients.Entry("127.0.0.3", 6, 0)),
                t.get("a"));
        assertEquals(List.of(new TopClients.Entry("127.0.0.4", 1, 1)), t.get(TopClients.NO_SERVICE));
        assertEquals(1, top.top(MIN + 20, 1).get("a").size());
        // two periods later only the current one counts; three later nothing is left
        top.add(3 * MIN, "a", "127.0.0.5", 200);
        assertEquals(
                List.of(new TopClients.Entry("127.0.0.5", 1, 0)),
                top.top(3 * MIN, 10).get("a"));
        assertTrue(top.top(6 * MIN, 10).isEmpty());
    }

    @Test
    void memoryIsBoundedAndHeavyHittersStay() {
        TopClients top = new TopClients(MIN);
        for (int s = 0; s < 1000; s++) {
            top.add(50_000, "svc-" + s, "192.0.2.2", 200); // more services than kept: the least recent go
        }
        for (int i = 0; i < 100_000; i++) {
            top.add(i, "s", "10.0." + (i % 250) + "." + (i / 250 % 250), 200);
            if (i % 10 == 0) {
                top.add(i, "s", "192.0.2.1", 200);
            }
        }
        List<TopClients.Entry> t = top.top(99_999, 5).get("s");
        assertEquals("192.0.2.1", t.get(0).client());
        assertTrue(t.get(0).requests() >= 10_000, "" + t.get(0));
        assertEquals(TopClients.MAX_SERVICES, top.top(99_999, 5).size());
    }
}
