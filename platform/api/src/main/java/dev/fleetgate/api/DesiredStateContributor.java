package dev.fleetgate.api;

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
 */
@ConsumerType
public interface DesiredStateContributor {

    /** Service property naming the section this contributor feeds. */
    String SECTION = "fleetgate.section";

    /**
     * @param agent the agent the state is for
     * @return the section's content for that agent (a JSON object), or null for nothing
     */
    JsonNode compute(AgentInfo agent);
}
