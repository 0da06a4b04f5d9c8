package dev.fleetgate.monitors.internal;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One check of a monitor by one agent.
 *
 * @param errorKind dns, connect, timeout, tls, status, content, latency, redirect, refused or null when ok
 * @param detail    the agent's whole answer (redirect chain, timing, certificate), or null
 */
public record ProbeResult(
        String agentId,
        Instant checkedAt,
        boolean ok,
        Integer status,
        Integer latencyMs,
        String errorKind,
        String error,
        Instant tlsExpiresAt,
        JsonNode detail) {}
