package dev.fleetgate.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Read access to the enrolled agents. */
@ProviderType
public interface AgentDirectory {

    List<AgentInfo> list();

    Optional<AgentInfo> get(String agentId);
}
