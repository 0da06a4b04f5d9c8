package dev.fleetgate.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The enrolled agent, as seen by agent bundles. The runtime registers this service once
 * the agent has its identity (right away when its state directory holds one, after
 * enrolment otherwise), with the service property {@value #AGENT_ID} set to the agent id.
 */
@ProviderType
public interface AgentContext {

    /** Service property carrying the agent id on the {@code AgentContext} service. */
    String AGENT_ID = "fleetgate.agent.id";

    /** Manifest header that marks a bundle as an agent plugin, e.g. {@code Fleetgate-Agent-Plugin: probe}. */
    String PLUGIN_HEADER = "Fleetgate-Agent-Plugin";

    /** @return the agent id given by the core at enrolment (a UUID) */
    String agentId();

    /** @return the core's base URL, e.g. {@code https://core.example:8443} (no trailing slash) */
    URI coreUrl();

    /** @return the agent's name */
    String name();

    /** @return {@code host} or {@code edge} */
    String role();

    /** @return the agent's state directory; bundles keep their files in a sub-directory named after them */
    Path stateDir();

    /**
     * Downloads a resource from the core with the agent's API key.
     *
     * @param relativeUrl a path relative to the core URL, e.g. {@code /api/v1/agents/{id}/bundles/<sha256>}
     * @return the body; the caller closes it
     * @throws IOException on a connection error or a status other than 200
     */
    InputStream download(String relativeUrl) throws IOException;

    /**
     * Asks the runtime to report to the core soon (a {@code sync?wait=0}), for example when
     * a bundle's {@link StateApplier#status()} changed in a way the core should see before
     * the next long-poll ends. Cheap and coalesced: calling it often costs one sync.
     */
    void requestSync();
}
