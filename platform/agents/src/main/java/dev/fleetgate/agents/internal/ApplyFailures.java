package dev.fleetgate.agents.internal;

import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.Severity;

/**
 * Alert events of failed section applies: {@value #PROXY_APPLY_FAILED} (subject = the agent id)
 * fires when an agent reports a failed revision of the {@code proxy} section and clears when a
 * later revision applies there. Derived from the stored applied state ({@link ReportStore}),
 * which this core writes only when it changes, so a state that lasts posts nothing again.
 */
final class ApplyFailures {
    static final String PROXY_SECTION = "proxy";
    static final String PROXY_APPLY_FAILED = "proxy.apply.failed";

    private ApplyFailures() {}

    /**
     * @param name   a readable name of the agent (its name, else its id)
     * @param before the row before the report (null: none stored)
     * @param after  the row after it
     * @return the event to post, or null when the section did not start or stop failing
     */
    static AlertEvent alert(
            String agentId, String name, String section, ReportStore.AppliedRow before, ReportStore.AppliedRow after) {
        if (!PROXY_SECTION.equals(section) || after == null) {
            return null;
        }
        boolean was = failing(before);
        boolean is = failing(after);
        if (was == is) {
            return null;
        }
        AlertEvent a = is
                ? AlertEvent.firing(PROXY_APPLY_FAILED, agentId)
                        .severity(Severity.CRITICAL)
                        .message("Agent " + name + " failed to apply proxy revision " + after.failedRevision()
                                + (after.error() == null ? "" : ": " + firstLine(after.error())))
                        .value(after.failedRevision())
                : AlertEvent.cleared(PROXY_APPLY_FAILED, agentId);
        return a.label("agent", agentId).label("agentName", name).label("section", section);
    }

    /** A failed revision newer than the applied one is kept by {@link ReportStore#next}; else 0. */
    static boolean failing(ReportStore.AppliedRow row) {
        return row != null && row.failedRevision() > 0;
    }

    private static String firstLine(String error) {
        String line = error.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
