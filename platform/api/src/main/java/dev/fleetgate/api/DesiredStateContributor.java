package dev.fleetgate.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whiteboard service: computes one section of an agent's desired state.
 *
 * <p>Register one per section (service property {@value #SECTION} names it, e.g.
 * {@code proxy}, {@code containers}, {@code bundles}). The platform calls
 * {@link #compute(AgentInfo)} when {@link DesiredStateService#changed} is signalled for the
 * section, stores the result with a new revision when it differs from the last one, and
 * wakes the agent's long-poll. The agent hands the section to the applier registered for
 * the same name. Several contributors may share a section: their object results are
 * merged field by field in service-ranking order.
 *
 * <p>A secret value (a password in a container's environment, a private key) is given
 * <em>sealed</em>: an object with the single field {@value #SEALED} holding the text of
 * {@code SecretBox.encrypt}. The platform stores and compares section bodies with the value
 * sealed, and opens it only in the sync answer sent to the agent, so the database never holds
 * the plaintext.
 */
@ConsumerType
public interface DesiredStateContributor {

    /** Service property naming the section this contributor feeds. */
    String SECTION = "fleetgate.section";

    /** Field name of a sealed secret value: {@code {"$sealed": "<SecretBox text>"}}. */
    String SEALED = "$sealed";

    /**
     * @param agent the agent the state is for
     * @return the section's content for that agent (a JSON object), or null for nothing
     */
    JsonNode compute(AgentInfo agent);

    /**
     * Computes the section for many agents at once, when the platform recomputes it for the
     * whole fleet. Override it to read shared input once rather than once per agent.
     *
     * @param agents the agents the state is for
     * @return per agent id, what {@link #compute(AgentInfo)} would return (absent = null)
     */
    default Map<String, JsonNode> computeAll(List<AgentInfo> agents) {
        Map<String, JsonNode> out = new HashMap<>();
        for (AgentInfo agent : agents) {
            out.put(agent.id(), compute(agent));
        }
        return out;
    }
}
