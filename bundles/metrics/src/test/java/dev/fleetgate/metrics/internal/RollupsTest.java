package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class RollupsTest {
    @Test
    void pendingRangesMergeWhenTheyOverlapOrTouch() {
        List<long[]> merged = Rollups.merge(List.of(
                new long[] {500_000, 600_000}, new long[] {0, 100_000}, new long[] {90_000, 200_000}, new long[] {
                    250_000, 260_000
                }));
        assertEquals(2, merged.size(), "ranges within a minute of each other join");
        assertEquals(List.of(0L, 260_000L), List.of(merged.get(0)[0], merged.get(0)[1]));
        assertEquals(List.of(500_000L, 600_000L), List.of(merged.get(1)[0], merged.get(1)[1]));
    }

    @Test
    void floorWorksBeforeTheEpochToo() {
        assertEquals(-60_000, Rollups.floor(-1, 60_000));
        assertEquals(120_000, Rollups.floor(179_999, 60_000));
    }
}
