package dev.fleetgate.monitors.internal;

import java.util.UUID;

import dev.fleetgate.monitors.MonitorState;

/**
 * A change of a monitor's state, seen by exactly one transaction.
 *
 * @param target the monitor's target
 * @param cause  the result that led to it, or null (agents went offline or came back)
 * @param report the incident report when it turned DOWN, else null
 */
public record Transition(
        UUID monitorId,
        String name,
        String target,
        MonitorState from,
        MonitorState to,
        ProbeResult cause,
        DownReport report) {

    Transition(UUID monitorId, String name, MonitorState from, MonitorState to) {
        this(monitorId, name, "", from, to, null, null);
    }

    Transition(UUID monitorId, String name, String target, MonitorState from, MonitorState to, ProbeResult cause) {
        this(monitorId, name, target, from, to, cause, null);
    }
}
