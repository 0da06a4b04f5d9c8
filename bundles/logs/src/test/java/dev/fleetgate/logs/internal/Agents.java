package dev.fleetgate.logs.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;

/** Two agents: {@link #ONLINE} and {@link #OFFLINE}. */
public final class Agents implements AgentDirectory {
    public static final String ONLINE = "0b7c5a1e-2f0a-4d43-9a57-6f1f0f0c0a01";
    public static final String OFFLINE = "0b7c5a1e-2f0a-4d43-9a57-6f1f0f0c0a02";

    @Override
    public List<AgentInfo> list() {
        return List.of(
                new AgentInfo(
                        ONLINE,
                        "web-1",
                        "web-1.lan",
                        AgentInfo.Role.HOST,
                        AgentInfo.Status.ONLINE,
                        Instant.now(),
                        "0.1.0",
                        "127.0.0.1"),
                new AgentInfo(
                        OFFLINE,
                        "web-2",
                        "web-2.lan",
                        AgentInfo.Role.HOST,
                        AgentInfo.Status.OFFLINE,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        "0.1.0",
                        "127.0.0.1"));
    }

    @Override
    public Optional<AgentInfo> get(String agentId) {
        return list().stream().filter(a -> a.id().equals(agentId)).findFirst();
    }
}
