package dev.fleetgate.agent.internal;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The agent's identity file, {@code <stateDir>/agent.json} (mode 0600). */
public final class IdentityStore {

    private final ObjectMapper mapper;
    private final Path file;

    public IdentityStore(ObjectMapper mapper, Path stateDir) {
        this.mapper = mapper;
        this.file = stateDir.resolve("agent.json");
    }

    /** @return the stored identity, or {@code null} when the agent has not enrolled yet */
    public AgentIdentity load() throws IOException {
        AgentIdentity identity = JsonFiles.read(mapper, file, AgentIdentity.class);
        if (identity != null && (identity.agentId() == null || identity.apiKey() == null)) {
            throw new IOException(file + " is incomplete: remove it and enrol again with a new token");
        }
        return identity;
    }

    public void save(AgentIdentity identity) throws IOException {
        JsonFiles.write(mapper, file, identity);
    }

    public Path file() {
        return file;
    }
}
