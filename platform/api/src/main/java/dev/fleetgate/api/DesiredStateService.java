package dev.fleetgate.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** Signals changes of desired state and reads what agents applied. */
@ProviderType
public interface DesiredStateService {

    /** Recompute {@code section} for every agent (asynchronously, coalesced). */
    void changed(String section);

    /** Recompute {@code section} for one agent (asynchronously, coalesced). */
    void changed(String section, String agentId);

    /**
     * Recompute {@code section} for every agent now and wait until it is stored.
     *
     * @return the section's revision per agent id after the recomputation
     */
    Map<String, Long> recompute(String section);

    /** @return per section, the desired revision and what the agent last reported */
    Map<String, SectionState> state(String agentId);

    /**
     * The state of one section on one agent.
     *
     * @param desiredRevision revision the core wants applied
     * @param appliedRevision revision the agent last applied successfully (0 if none)
     * @param failedRevision  revision the agent failed to apply (0 if none)
     * @param error           the agent's error text for {@code failedRevision}
     */
    record SectionState(long desiredRevision, long appliedRevision, long failedRevision, String error) {

        /** @return whether the agent applied the desired revision, failed it, or has yet to report */
        public Phase phase() {
            if (appliedRevision >= desiredRevision) {
                return Phase.APPLIED;
            }
            return failedRevision >= desiredRevision ? Phase.FAILED : Phase.PENDING;
        }

        /** Where a section stands on an agent, by the same names in the REST API. */
        public enum Phase {
            APPLIED,
            PENDING,
            FAILED
        }
    }
}
