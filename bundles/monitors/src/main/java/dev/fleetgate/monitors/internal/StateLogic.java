package dev.fleetgate.monitors.internal;

import java.util.Collection;

import dev.fleetgate.monitors.MonitorState;

/**
 * The state of a monitor from its agents (pure; no clock, no database).
 *
 * <p>Only online agents count. An agent is <em>failing</em> once its checks failed
 * {@code confirmations} times in a row (N), so one blip pages nobody. Then: no agent online →
 * UNKNOWN (not DOWN: nothing is known); no online agent has reported yet → PENDING; no agent
 * failing → UP; at least {@code confirmAgents} (K) failing agents — every online agent that
 * reported when K is not set — → DOWN; some failing → DEGRADED (some vantage points fail).
 */
public final class StateLogic {
    private StateLogic() {}

    /**
     * One agent of a monitor.
     *
     * @param online              whether the agent is ONLINE now
     * @param consecutiveFailures failures in a row of its latest results, or null when it never reported
     */
    public record AgentView(String agentId, boolean online, Integer consecutiveFailures) {}

    public static MonitorState evaluate(Collection<AgentView> agents, int confirmations) {
        return evaluate(agents, confirmations, null);
    }

    /** @param confirmAgents K, or null: every online agent that reported must be failing */
    public static MonitorState evaluate(Collection<AgentView> agents, int confirmations, Integer confirmAgents) {
        int online = 0;
        int reported = 0;
        int failing = 0;
        for (AgentView a : agents) {
            if (!a.online()) {
                continue;
            }
            online++;
            if (a.consecutiveFailures() == null) {
                continue;
            }
            reported++;
            if (a.consecutiveFailures() >= confirmations) {
                failing++;
            }
        }
        if (online == 0) {
            return MonitorState.UNKNOWN;
        }
        if (reported == 0) {
            return MonitorState.PENDING;
        }
        if (failing == 0) {
            return MonitorState.UP;
        }
        int needed = confirmAgents == null ? reported : confirmAgents;
        return failing >= needed ? MonitorState.DOWN : MonitorState.DEGRADED;
    }
}
