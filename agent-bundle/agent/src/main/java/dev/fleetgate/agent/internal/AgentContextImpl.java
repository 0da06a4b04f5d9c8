package dev.fleetgate.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;

import dev.fleetgate.agent.AgentContext;

/** The {@link AgentContext} service, registered once the agent has its identity. */
final class AgentContextImpl implements AgentContext {

    private final AgentSettings settings;
    private final AgentIdentity identity;
    private final CoreClient client;

    private final Runnable requestSync;

    AgentContextImpl(AgentSettings settings, AgentIdentity identity, CoreClient client, Runnable requestSync) {
        this.settings = settings;
        this.identity = identity;
        this.client = client;
        this.requestSync = requestSync;
    }

    @Override
    public void requestSync() {
        requestSync.run();
    }

    @Override
    public String agentId() {
        return identity.agentId();
    }

    @Override
    public URI coreUrl() {
        return client.core();
    }

    @Override
    public String name() {
        return identity.name() == null ? settings.name() : identity.name();
    }

    @Override
    public String role() {
        return settings.role();
    }

    @Override
    public Path stateDir() {
        return settings.stateDir();
    }

    @Override
    public InputStream download(String relativeUrl) throws IOException {
        return client.download(identity, relativeUrl);
    }
}
