package dev.fleetgate.agents.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateContributor;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.Lazy;
import dev.fleetgate.api.Threads;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;

/**
 * Computes and stores each agent's desired state from the {@link DesiredStateContributor}
 * whiteboard. Signals are coalesced and handled by one worker thread; a section gets a new
 * revision only when its canonical digest changes, and the agent is then woken.
 */
@Component(service = {DesiredStateService.class, DesiredStateEngine.class})
public final class DesiredStateEngine implements DesiredStateService {
    private static final Logger LOG = LoggerFactory.getLogger(DesiredStateEngine.class);
    private static final String EVERY_SECTION = "";

    /** A section body as stored. */
    public record SectionBody(long revision, JsonNode body) {}

    /**
     * One contributor, held lazily: the engine gets the service object only when it computes,
     * on its worker thread, never while SCR binds. Contributors may therefore reference
     * {@link DesiredStateService} themselves without making a DS cycle.
     */
    private record Contribution(
            Object identity, Supplier<DesiredStateContributor> contributor, int ranking, long serviceId) {}

    private record Job(String section, String agentId) {}

    private final DataSource dataSource;
    private final AgentRegistry registry;
    private final Notifier notifier;
    private final ExecutorService worker;
    private final Map<String, List<Contribution>> contributors = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> revisions = new ConcurrentHashMap<>();
    private final Set<Job> pending = new LinkedHashSet<>();
    private final Notifier.Listener listener = this::onChange;
    private boolean drainScheduled;

    @Activate
    public DesiredStateEngine(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference AgentRegistry registry,
            @Reference Notifier notifier) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.notifier = notifier;
        this.worker = Threads.single("fleetgate-desired-state");
        reloadRevisions(null);
        notifier.addListener(listener);
    }

    @Deactivate
    public void close() {
        notifier.removeListener(listener);
        worker.shutdownNow();
    }

    @Reference(
            service = DesiredStateContributor.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindContributor")
    void bindContributor(ComponentServiceObjects<DesiredStateContributor> service, Map<String, Object> props) {
        add(service, Lazy.once(service::getService), props);
    }

    void unbindContributor(ComponentServiceObjects<DesiredStateContributor> service, Map<String, Object> props) {
        remove(service, props);
        // ComponentServiceObjects releases what it handed out when the reference is unbound.
    }

    /** Registers a contributor object directly (tests and embedding). */
    public void addContributor(DesiredStateContributor contributor, Map<String, Object> props) {
        add(contributor, () -> contributor, props);
    }

    public void removeContributor(DesiredStateContributor contributor, Map<String, Object> props) {
        remove(contributor, props);
    }

    private void add(Object identity, Supplier<DesiredStateContributor> contributor, Map<String, Object> props) {
        String section = section(props);
        if (section == null) {
            LOG.warn(
                    "Desired-state contributor {} has no {} property; ignored",
                    props.get(Constants.SERVICE_ID),
                    DesiredStateContributor.SECTION);
            return;
        }
        Object r = props.get(Constants.SERVICE_RANKING);
        Object id = props.get(Constants.SERVICE_ID);
        Contribution c =
                new Contribution(identity, contributor, r instanceof Integer i ? i : 0, id instanceof Long l ? l : 0L);
        contributors.compute(section, (k, list) -> {
            List<Contribution> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(c);
            next.sort(Comparator.comparingInt(Contribution::ranking)
                    .reversed()
                    .thenComparingLong(Contribution::serviceId));
            return List.copyOf(next);
        });
        changed(section);
    }

    private void remove(Object identity, Map<String, Object> props) {
        String section = section(props);
        if (section == null) {
            return;
        }
        contributors.computeIfPresent(section, (k, list) -> {
            List<Contribution> next = new ArrayList<>(list);
            next.removeIf(c -> c.identity() == identity);
            return List.copyOf(next);
        });
        changed(section);
    }

    private static String section(Map<String, Object> props) {
        Object s = props.get(DesiredStateContributor.SECTION);
        return s instanceof String str && !str.isBlank() ? str : null;
    }

    @Override
    public void changed(String section) {
        enqueue(new Job(section, null));
    }

    @Override
    public void changed(String section, String agentId) {
        enqueue(new Job(section, agentId));
    }

    /** A new agent: computes every section for it. */
    public void agentAdded(String agentId) {
        enqueue(new Job(EVERY_SECTION, agentId));
    }

    @Override
    public Map<String, Long> recompute(String section) {
        try {
            return worker.submit(() -> {
                        List<AgentInfo> agents = registry.list();
                        computeAll(section, agents);
                        Map<String, Long> result = new TreeMap<>();
                        for (AgentInfo a : agents) {
                            result.put(a.id(), revisions(a.id()).getOrDefault(section, 0L));
                        }
                        return result;
                    })
                    .get(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recomputing " + section, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Recomputing " + section + " failed", e);
        }
    }

    /** Waits until the signals given so far are handled (tests, shell). */
    public void awaitIdle() throws InterruptedException, ExecutionException {
        worker.submit(() -> null).get();
    }

    private void enqueue(Job job) {
        synchronized (pending) {
            pending.add(job);
            if (drainScheduled) {
                return;
            }
            drainScheduled = true;
        }
        try {
            worker.execute(this::drain);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivated: contributors unbound while the core shuts down change nothing any more
            LOG.debug("Desired-state engine stopped; signal for {} dropped", job.section());
        }
    }

    private void drain() {
        List<Job> jobs;
        synchronized (pending) {
            jobs = new ArrayList<>(pending);
            pending.clear();
            drainScheduled = false;
        }
        Set<String> wholeSections = new LinkedHashSet<>();
        for (Job j : jobs) {
            if (j.agentId() == null) {
                wholeSections.add(j.section());
            }
        }
        for (String section : wholeSections) {
            computeAll(section, registry.list());
        }
        // Per-agent signals are grouped by section: a burst (a core restart, thousands of agents
        // coming back) is one computeAll and one storeMany per section, not one of each per
        // agent and section, which queued a whole-fleet change behind seconds of single writes.
        Map<String, Map<String, AgentInfo>> bySection = new LinkedHashMap<>();
        for (Job j : jobs) {
            if (j.agentId() == null || wholeSections.contains(j.section())) {
                continue;
            }
            registry.get(j.agentId()).ifPresent(a -> {
                List<String> sections = EVERY_SECTION.equals(j.section())
                        ? new ArrayList<>(contributors.keySet())
                        : List.of(j.section());
                for (String s : sections) {
                    if (!wholeSections.contains(s)) {
                        bySection.computeIfAbsent(s, k -> new LinkedHashMap<>()).putIfAbsent(a.id(), a);
                    }
                }
            });
        }
        bySection.forEach((section, agents) -> computeAll(section, new ArrayList<>(agents.values())));
    }

    /**
     * Computes one section for the given agents (each contributor once, through
     * {@link DesiredStateContributor#computeAll}) and stores each body whose digest changed.
     */
    private void computeAll(String section, List<AgentInfo> agents) {
        List<Contribution> feeding = contributors.getOrDefault(section, List.of());
        if (feeding.isEmpty() || agents.isEmpty()) {
            // Its module is stopped, being updated or the core is shutting down: agents keep
            // the last state of the section rather than having it wiped.
            return;
        }
        List<Map<String, JsonNode>> parts = new ArrayList<>();
        for (Contribution c : feeding) {
            try {
                parts.add(c.contributor().get().computeAll(agents));
            } catch (RuntimeException e) {
                if (agents.size() > 1) {
                    // One agent's failure must not hold back the others: retry one by one.
                    agents.forEach(a -> computeAll(section, List.of(a)));
                } else {
                    LOG.warn(
                            "Contributor of section {} failed for agent {}; state kept",
                            section,
                            agents.get(0).id(),
                            e);
                }
                return;
            }
        }
        List<String> ids = new ArrayList<>(agents.size());
        List<JsonNode> bodies = new ArrayList<>(agents.size());
        for (AgentInfo agent : agents) {
            List<JsonNode> mine = new ArrayList<>(parts.size());
            for (Map<String, JsonNode> part : parts) {
                mine.add(part.get(agent.id()));
            }
            JsonNode body = Json.merge(mine);
            if (body == null) {
                body = Json.MAPPER.createObjectNode();
            }
            Map<String, Long> known = revisions(agent.id());
            if (!known.containsKey(section) && body.isObject() && body.isEmpty()) {
                continue; // nothing desired and nothing stored: no row needed
            }
            ids.add(agent.id());
            bodies.add(body);
        }
        if (ids.size() == 1) {
            try {
                store(ids.get(0), section, bodies.get(0));
            } catch (RuntimeException e) {
                LOG.warn("Storing section {} of agent {} failed", section, ids.get(0), e);
            }
        } else if (!ids.isEmpty()) {
            storeMany(section, ids, bodies);
        }
    }

    /** Agents per transaction of {@link #storeMany}. */
    private static final int STORE_CHUNK = 1000;

    /**
     * Stores a section for many agents: one statement and one commit per {@value #STORE_CHUNK}
     * agents (not one per agent), then one signal for every agent, here and to the other cores
     * ({@link Notifier#ALL}: each core re-reads the revisions once and wakes every held sync),
     * rather than one per agent, each of which makes every core re-read that agent.
     */
    private void storeMany(String section, List<String> ids, List<JsonNode> bodies) {
        List<String> changed = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += STORE_CHUNK) {
            int to = Math.min(ids.size(), from + STORE_CHUNK);
            String[] agentIds = ids.subList(from, to).toArray(String[]::new);
            String[] digests = new String[agentIds.length];
            String[] texts = new String[agentIds.length];
            for (int i = 0; i < agentIds.length; i++) {
                digests[i] = Json.digest(bodies.get(from + i));
                texts[i] = Json.write(bodies.get(from + i));
            }
            try {
                Map<String, Long> stored = Jdbc.tx(dataSource, c -> {
                    Map<String, Long> out = new HashMap<>();
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO desired_state (agent_id, section, revision, digest, body)"
                                    + " SELECT v.a::uuid, ?, 1, v.d, v.b::jsonb FROM unnest(?::text[], ?::text[], ?::text[])"
                                    + " AS v(a, d, b) ON CONFLICT (agent_id, section) DO UPDATE SET"
                                    + " revision = desired_state.revision + 1, digest = EXCLUDED.digest,"
                                    + " body = EXCLUDED.body, updated_at = now()"
                                    + " WHERE desired_state.digest <> EXCLUDED.digest RETURNING agent_id::text, revision")) {
                        ps.setString(1, section);
                        ps.setArray(2, c.createArrayOf("text", agentIds));
                        ps.setArray(3, c.createArrayOf("text", digests));
                        ps.setArray(4, c.createArrayOf("text", texts));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.put(rs.getString(1), rs.getLong(2));
                            }
                        }
                    }
                    return out;
                });
                stored.forEach((agentId, revision) -> revisions
                        .computeIfAbsent(agentId, k -> new ConcurrentHashMap<>())
                        .merge(section, revision, Math::max));
                changed.addAll(stored.keySet());
            } catch (RuntimeException e) {
                LOG.warn("Storing section {} of {} agents failed; one by one", section, agentIds.length, e);
                for (int i = from; i < to; i++) {
                    try {
                        store(ids.get(i), section, bodies.get(i));
                    } catch (RuntimeException one) {
                        LOG.warn("Storing section {} of agent {} failed", section, ids.get(i), one);
                    }
                }
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        // One signal for the whole batch, after every chunk is stored: each NOTIFY '*' makes
        // every core (this one too, through LISTEN) re-read all revisions and re-check every
        // held sync, so one per chunk was ten fleet-wide re-reads for 10,000 agents. A few
        // agents are signalled one by one, which costs the other cores less than a re-read of all.
        LOG.debug("Section {} changed for {} agents", section, changed.size());
        List<String> signals = changed.size() <= SIGNAL_EACH_UP_TO ? changed : List.of(Notifier.ALL);
        try {
            Jdbc.tx(dataSource, c -> {
                for (String signal : signals) {
                    SqlJson.notify(c, signal);
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Signalling the other cores that section {} changed failed", section, e);
        }
        signals.forEach(notifier::local);
    }

    /** Up to this many changed agents are signalled one by one, above it with one {@link Notifier#ALL}. */
    static final int SIGNAL_EACH_UP_TO = 16;

    private void store(String agentId, String section, JsonNode body) {
        String digest = Json.digest(body);
        Long revision = Jdbc.tx(dataSource, c -> {
            Long rev = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO desired_state (agent_id, section, revision, digest, body) VALUES (?, ?, 1, ?, ?::jsonb)"
                            + " ON CONFLICT (agent_id, section) DO UPDATE SET revision = desired_state.revision + 1,"
                            + " digest = EXCLUDED.digest, body = EXCLUDED.body, updated_at = now()"
                            + " WHERE desired_state.digest <> EXCLUDED.digest RETURNING revision")) {
                ps.setObject(1, UUID.fromString(agentId));
                ps.setString(2, section);
                ps.setString(3, digest);
                SqlJson.setJson(ps, 4, body);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        rev = rs.getLong(1);
                    }
                }
            }
            if (rev != null) {
                SqlJson.notify(c, agentId);
            }
            return rev;
        });
        if (revision != null) {
            revisions.computeIfAbsent(agentId, k -> new ConcurrentHashMap<>()).merge(section, revision, Math::max);
            LOG.debug("Section {} of agent {} at revision {}", section, agentId, revision);
            notifier.local(agentId);
        }
    }

    /** @return the desired revision of every stored section of the agent (from memory) */
    public Map<String, Long> revisions(String agentId) {
        Map<String, Long> m = revisions.get(agentId);
        return m == null ? Map.of() : Collections.unmodifiableMap(m);
    }

    /** Reads the stored bodies of some sections of an agent. */
    public Map<String, SectionBody> bodies(String agentId, Set<String> sections) {
        if (sections.isEmpty()) {
            return Map.of();
        }
        return Jdbc.auto(dataSource, c -> {
            Map<String, SectionBody> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT section, revision, body FROM desired_state WHERE agent_id = ? AND section = ANY (?)")) {
                ps.setObject(1, UUID.fromString(agentId));
                ps.setArray(2, c.createArrayOf("text", sections.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(
                                rs.getString("section"),
                                new SectionBody(rs.getLong("revision"), SqlJson.json(rs, "body")));
                    }
                }
            }
            return out;
        });
    }

    /** Reads the stored bodies of some sections of many agents in one query: agent id → section → body. */
    public Map<String, Map<String, SectionBody>> bodies(Map<String, Set<String>> wanted) {
        List<Object> agentIds = new ArrayList<>();
        List<String> sections = new ArrayList<>();
        wanted.forEach((agent, names) -> names.forEach(n -> {
            agentIds.add(UUID.fromString(agent));
            sections.add(n);
        }));
        if (agentIds.isEmpty()) {
            return Map.of();
        }
        return Jdbc.auto(dataSource, c -> {
            Map<String, Map<String, SectionBody>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT d.agent_id, d.section, d.revision, d.body"
                    + " FROM desired_state d JOIN unnest(?::uuid[], ?::text[]) AS w(agent_id, section)"
                    + " ON d.agent_id = w.agent_id AND d.section = w.section")) {
                ps.setArray(1, c.createArrayOf("uuid", agentIds.toArray()));
                ps.setArray(2, c.createArrayOf("text", sections.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getObject("agent_id", UUID.class).toString(), k -> new TreeMap<>())
                                .put(
                                        rs.getString("section"),
                                        new SectionBody(rs.getLong("revision"), SqlJson.json(rs, "body")));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, SectionState> state(String agentId) {
        if (Ids.parse(agentId).isEmpty()) {
            return Map.of();
        }
        return Jdbc.auto(dataSource, c -> {
            Map<String, SectionState> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(d.section, a.section) AS section, coalesce(d.revision, 0) AS desired,"
                            + " coalesce(a.revision, 0) AS applied, coalesce(a.failed_revision, 0) AS failed, a.error"
                            + " FROM (SELECT * FROM desired_state WHERE agent_id = ?) d"
                            + " FULL JOIN (SELECT * FROM applied_state WHERE agent_id = ?) a ON a.section = d.section")) {
                UUID id = UUID.fromString(agentId);
                ps.setObject(1, id);
                ps.setObject(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(
                                rs.getString("section"),
                                new SectionState(
                                        rs.getLong("desired"),
                                        rs.getLong("applied"),
                                        rs.getLong("failed"),
                                        rs.getString("error")));
                    }
                }
            }
            return out;
        });
    }

    /** Change signal (local or from another core): refreshes the cached revisions. */
    private void onChange(String agentId) {
        reloadRevisions(agentId);
    }

    private void reloadRevisions(String agentId) {
        Map<String, Map<String, Long>> fresh = Jdbc.auto(dataSource, c -> {
            Map<String, Map<String, Long>> out = new HashMap<>();
            String sql = "SELECT agent_id, section, revision FROM desired_state"
                    + (agentId == null ? "" : " WHERE agent_id = ?");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (agentId != null) {
                    ps.setObject(1, UUID.fromString(agentId));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new ConcurrentHashMap<>())
                                .put(rs.getString(2), rs.getLong(3));
                    }
                }
            }
            return out;
        });
        if (agentId == null) {
            revisions.keySet().retainAll(fresh.keySet());
            fresh.forEach((k, v) -> revisions.put(k, new ConcurrentHashMap<>(v)));
        } else if (fresh.containsKey(agentId)) {
            revisions.put(agentId, new ConcurrentHashMap<>(fresh.get(agentId)));
        } else {
            revisions.remove(agentId);
        }
    }
}
