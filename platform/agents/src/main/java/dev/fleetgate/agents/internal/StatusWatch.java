package dev.fleetgate.agents.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.fleetgate.api.AgentInfo;

/** Detects ONLINE/OFFLINE transitions between two looks at the agents. */
public final class StatusWatch {

    /** One agent's change of status. */
    public record Transition(String agentId, AgentInfo.Status status) {}

    private final Map<String, AgentInfo.Status> last = new HashMap<>();
    private boolean first = true;

    /** @return the transitions since the previous call; the first call only records */
    public synchronized List<Transition> check(List<AgentInfo> agents) {
        List<Transition> out = new ArrayList<>();
        Map<String, AgentInfo.Status> now = new HashMap<>();
        for (AgentInfo a : agents) {
            now.put(a.id(), a.status());
            AgentInfo.Status before = last.get(a.id());
            boolean changed = before == null ? a.status() == AgentInfo.Status.ONLINE : before != a.status();
            if (!first && changed) {
                out.add(new Transition(a.id(), a.status()));
            }
        }
        last.clear();
        last.putAll(now);
        first = false;
        return out;
    }
}
