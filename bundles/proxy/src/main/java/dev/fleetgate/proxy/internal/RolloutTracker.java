package dev.fleetgate.proxy.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Remembers which {@code proxy} section revision first carried which service revision, per
 * agent. Filled from {@code DesiredStateService.recompute}: a recomputation that starts
 * after a service revision was committed yields, per agent, a section revision that
 * carries it (or an equivalent spec). Kept in memory, last {@value #KEEP} revisions per
 * service; a core that lost it simply recomputes again (unchanged specs keep their
 * revisions).
 */
final class RolloutTracker {
    static final int KEEP = 16;

    private final Map<UUID, NavigableMap<Long, Map<String, Long>>> byService = new HashMap<>();

    /** Records that {@code sectionRevisions} (agent → revision) carry {@code serviceRevision}. */
    synchronized void record(UUID service, long serviceRevision, Map<String, Long> sectionRevisions) {
        NavigableMap<Long, Map<String, Long>> revs = byService.computeIfAbsent(service, k -> new TreeMap<>());
        Map<String, Long> agents = revs.computeIfAbsent(serviceRevision, k -> new HashMap<>());
        sectionRevisions.forEach((agent, rev) -> agents.merge(agent, rev, Math::min));
        while (revs.size() > KEEP) {
            revs.pollFirstEntry();
        }
    }

    /** @return agent → first section revision carrying the service revision, or null if unknown */
    synchronized Map<String, Long> carriers(UUID service, long serviceRevision) {
        NavigableMap<Long, Map<String, Long>> revs = byService.get(service);
        Map<String, Long> m = revs == null ? null : revs.get(serviceRevision);
        return m == null ? null : Map.copyOf(m);
    }

    /** @return the newest known service revision the agent has applied, or null */
    synchronized Long appliedServiceRevision(UUID service, String agent, long appliedSectionRevision) {
        NavigableMap<Long, Map<String, Long>> revs = byService.get(service);
        if (revs == null) {
            return null;
        }
        for (Map.Entry<Long, Map<String, Long>> e : revs.descendingMap().entrySet()) {
            Long section = e.getValue().get(agent);
            if (section != null && section > 0 && section <= appliedSectionRevision) {
                return e.getKey();
            }
        }
        return null;
    }

    synchronized void forget(UUID service) {
        byService.remove(service);
    }
}
