package dev.fleetgate.agent.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the agent received at enrolment, kept in {@code <stateDir>/agent.json}.
 *
 * @param core    the core URL it enrolled with
 * @param agentId its id
 * @param apiKey  its API key (a secret: never logged)
 * @param name    the name it enrolled with (may be {@code null} in files written by hand)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentIdentity(String core, String agentId, String apiKey, String name) {

    @Override
    public String toString() {
        return "AgentIdentity[core=" + core + ", agentId=" + agentId + ", name=" + name + "]";
    }
}
