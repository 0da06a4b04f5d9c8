package dev.fleetgate.monitors.internal;

import java.time.Instant;
import java.util.List;

/**
 * What an incident report says when a monitor turns DOWN, read in the transaction that
 * changed the state.
 *
 * @param failing     the failing agents with their latest failure
 * @param agents      how many agents the monitor has
 * @param since       the first failure of the current run of failures (any agent), or null
 * @param lastSuccess the latest passing check (any agent), or null when none is kept
 * @param serviceId   the service the monitor is attached to, or null
 */
public record DownReport(List<ProbeResult> failing, int agents, Instant since, Instant lastSuccess, String serviceId) {}
