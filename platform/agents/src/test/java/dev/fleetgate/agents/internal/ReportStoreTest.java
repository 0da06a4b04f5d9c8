package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReportStoreTest {

    @Test
    void successMovesAppliedRevisionAndClearsOlderFailure() {
        ReportStore.AppliedRow failed =
                ReportStore.next(new ReportStore.AppliedRow(4, 0, null), new SyncReport.Applied(5, "nginx: [emerg]"));
        assertEquals(new ReportStore.AppliedRow(4, 5, "nginx: [emerg]"), failed);
        assertEquals(new ReportStore.AppliedRow(6, 0, null), ReportStore.next(failed, new SyncReport.Applied(6, null)));
    }

    @Test
    void sameReportGivesSameRow() {
        ReportStore.AppliedRow row = new ReportStore.AppliedRow(4, 5, "boom");
        assertEquals(row, ReportStore.next(row, new SyncReport.Applied(5, "boom")));
    }
}
