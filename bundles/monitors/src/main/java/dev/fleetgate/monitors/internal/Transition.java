package dev.fleetgate.monitors.internal;

import java.util.UUID;

import dev.fleetgate.monitors.MonitorState;

/**
 * A change of a monitor's state, seen by exactly one transaction.
 *
 * @param target the monitor's target
 * @param cause  the result that led to it, or null (agents went offline or came back)
 */
public record Transition(UUID monitorId, String name, String target, MonitorState from, MonitorState to,
        ProbeResult cause) {

    Transition(UUID monitorId, String name, MonitorState from, MonitorState to) {
        this(monitorId, name, "", from, to, null);
    }
}
