package dev.fleetgate.monitors.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.monitors.MonitorState;

/** A monitor as stored, with its current state (fields as in {@link MonitorInput}). */
public record StoredMonitor(
        UUID id,
        String name,
        String type,
        String target,
        int intervalSeconds,
        List<String> agentIds,
        ObjectNode expect,
        boolean followRedirects,
        int confirmations,
        int timeoutMs,
        MonitorState state,
        Instant stateSince,
        Instant createdAt,
        Instant updatedAt,
        ObjectNode options,
        Integer confirmAgents,
        String serviceId) {

    /** @return this monitor checking {@code effectiveTarget} (an attached monitor's target is resolved per run) */
    public StoredMonitor withTarget(String effectiveTarget) {
        return new StoredMonitor(
                id,
                name,
                type,
                effectiveTarget,
                intervalSeconds,
                agentIds,
                expect,
                followRedirects,
                confirmations,
                timeoutMs,
                state,
                stateSince,
                createdAt,
                updatedAt,
                options,
                confirmAgents,
                serviceId);
    }
}
