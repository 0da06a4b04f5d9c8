package dev.fleetgate.monitors.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.monitors.MonitorState;

/** A monitor as stored, with its current state. */
public record StoredMonitor(UUID id, String name, String type, String target, int intervalSeconds,
        List<String> agentIds, ObjectNode expect, boolean followRedirects, int confirmations, int timeoutMs,
        MonitorState state, Instant stateSince, Instant createdAt, Instant updatedAt) {
}
