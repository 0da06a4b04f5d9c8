package dev.fleetgate.monitors.internal;

import java.util.UUID;

import dev.fleetgate.monitors.MonitorState;

/** A change of a monitor's state, seen by exactly one transaction. */
public record Transition(UUID monitorId, String name, MonitorState from, MonitorState to) {
}
