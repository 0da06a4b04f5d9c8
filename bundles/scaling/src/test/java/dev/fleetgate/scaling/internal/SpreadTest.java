package dev.fleetgate.scaling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void aTotalIsRoundedUpPerAgentWithinTheMaximum() {
        assertEquals(3, Spread.perAgent(3, 1, 10));
        assertEquals(2, Spread.perAgent(3, 2, 10), "ceil(3/2): never less than asked");
        assertEquals(4, Spread.perAgent(10, 3, 12), "ceil(10/3) = 4, 12/3 = 4 allowed");
        assertEquals(3, Spread.perAgent(10, 3, 10), "capped at floor(10/3) so that 9 ≤ maxReplicas");
        assertEquals(1, Spread.perAgent(1, 3, 2), "one each when the maximum is below the agent count");
        assertEquals(0, Spread.perAgent(0, 2, 10), "zero stays zero");
        assertEquals(0, Spread.perAgent(5, 0, 10), "no placed agent, nothing to run");
        assertEquals(Spread.MAX_PER_AGENT, Spread.perAgent(5000, 1, 5000));
        assertEquals(6, Spread.total(3, 2));
    }
}
