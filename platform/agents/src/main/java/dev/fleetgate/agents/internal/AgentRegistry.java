package dev.fleetgate.agents.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;

/**
 * The enrolled agents, cached in memory: API key checks and last-seen times need no
 * database access per sync. Liveness lives in memory: each core hands the syncs it handled
 * over to the other cores with NOTIFY ({@link #handover}); the stored last-seen time is
 * written only on transitions (ONLINE, OFFLINE) and at shutdown (see the module README).
 */
@Component(
        service = {AgentDirectory.class, AgentRegistry.class},
        configurationPid = AgentsConfig.PID)
@Designate(ocd = AgentsConfig.class)
public final class AgentRegistry implements AgentDirectory {

    /** Outcome of an API key check. */
    public enum Check {
        OK,
        UNKNOWN,
        BAD_KEY
    }

    /** One agent row. */
    record Entry(
            String id,
            String name,
            String hostname,
            AgentInfo.Role role,
            String keyHash,
            String version,
            String address,
            Instant createdAt,
            Instant storedLastSeen) {}

    private static final Logger LOG = LoggerFactory.getLogger(AgentRegistry.class);
    private static final String COLUMNS =
            "id, name, hostname, role, api_key_hash, version, address, created_at, last_seen_at";

    private final DataSource dataSource;
    private final Notifier notifier;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Entry> agents = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    /** Last-seen times to store: agents that came ONLINE or went OFFLINE. */
    private final Map<String, Instant> unflushed = new ConcurrentHashMap<>();
    /** Syncs handled here since the last handover to the other cores. */
    private final Map<String, Instant> sinceHandover = new ConcurrentHashMap<>();

    private final Notifier.Listener listener = this::onChange;
    private final Notifier.Listener seenListener = this::onSeen;
    /** Tells this core's handovers from the others' (NOTIFY reaches the sender too). */
    private final String coreId = Liveness.newCoreId();

    private volatile boolean fullHandoverRequested;
    private volatile long lastHandoverNanos = System.nanoTime();

    @Activate
    public AgentRegistry(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference AgentsSchema schema,
            @Reference Notifier notifier,
            AgentsConfig config) {
        this(dataSource, notifier, Settings.of(config), Clock.systemUTC());
    }

    AgentRegistry(DataSource dataSource, Notifier notifier, Settings settings, Clock clock) {
        this.dataSource = dataSource;
        this.notifier = notifier;
        this.settings = settings;
        this.clock = clock;
        reloadAll();
        notifier.addListener(listener);
        notifier.addSeenListener(seenListener);
        try {
            askForHandover();
        } catch (RuntimeException e) {
            LOG.warn("Asking the other cores for their agents' liveness failed", e);
        }
    }

    /** Stores the last-seen times known here, so that a restarted core starts with them. */
    @Deactivate
    public void close() {
        notifier.removeSeenListener(seenListener);
        notifier.removeListener(listener);
        try {
            flushAll();
        } catch (RuntimeException e) {
            LOG.warn("Storing the agents' last-seen times at shutdown failed", e);
        }
    }

    public Settings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    /** Checks an agent's API key against the cache; reads the database only for an unknown id. */
    public Check verify(String agentId, String apiKey) {
        Entry e = agents.get(agentId);
        if (e == null) {
            reload(agentId);
            e = agents.get(agentId);
        }
        if (e == null) {
            return Check.UNKNOWN;
        }
        return Secrets.matches(e.keyHash(), apiKey) ? Check.OK : Check.BAD_KEY;
    }

    /**
     * Records a sync: the time in memory only (handed over to other cores by
     * {@link #handover}); the row is written only when the agent comes ONLINE, or when
     * version, hostname or address changed. A sync of an agent that is ONLINE and changes
     * nothing writes nothing.
     */
    public void seen(String agentId, String version, String hostname, String address) {
        Instant now = clock.instant();
        Instant before = lastSeen(agentId);
        lastSeen.merge(agentId, now, AgentRegistry::later);
        sinceHandover.put(agentId, now);
        if (status(before, now) == AgentInfo.Status.OFFLINE) {
            unflushed.put(agentId, now); // a transition: stored, so that a restarted core knows it
        }
        Entry e = agents.get(agentId);
        if (e == null) {
            return;
        }
        String v = version == null ? e.version() : version;
        String h = hostname == null || hostname.isBlank() ? e.hostname() : hostname;
        String a = address == null ? e.address() : address;
        if (Objects.equals(v, e.version()) && Objects.equals(h, e.hostname()) && Objects.equals(a, e.address())) {
            return;
        }
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE agents SET version = ?, hostname = ?, address = ? WHERE id = ?")) {
                ps.setString(1, v);
                ps.setString(2, h);
                ps.setString(3, a);
                ps.setObject(4, UUID.fromString(agentId));
                return ps.executeUpdate();
            }
        });
        agents.computeIfPresent(
                agentId,
                (k, old) -> new Entry(
                        old.id(),
                        old.name(),
                        h,
                        old.role(),
                        old.keyHash(),
                        v,
                        a,
                        old.createdAt(),
                        old.storedLastSeen()));
    }

    /**
     * The agent went OFFLINE (seen by {@link Maintenance}): its last sync known here is
     * stored with the next {@link #flushLastSeen}, unless the stored time is as recent.
     */
    public void wentOffline(String agentId) {
        Instant mine = lastSeen.get(agentId);
        Entry e = agents.get(agentId);
        if (mine != null && e != null && (e.storedLastSeen() == null || mine.isAfter(e.storedLastSeen()))) {
            unflushed.put(agentId, mine);
        }
    }

    /**
     * Writes the last-seen times of the transitions gathered since the last flush (agents that
     * came ONLINE or went OFFLINE), all in one statement; nothing when there were none.
     *
     * @return rows written
     */
    public int flushLastSeen() {
        if (unflushed.isEmpty()) {
            return 0;
        }
        Map<String, Instant> batch = Map.copyOf(unflushed);
        batch.forEach(unflushed::remove); // removes only if not replaced meanwhile
        return store(batch);
    }

    /** At shutdown: stores every last-seen time newer than the stored one, so that a restart keeps them. */
    public int flushAll() {
        Map<String, Instant> batch = new java.util.HashMap<>();
        lastSeen.forEach((id, t) -> {
            Entry e = agents.get(id);
            if (e != null && (e.storedLastSeen() == null || t.isAfter(e.storedLastSeen()))) {
                batch.put(id, t);
            }
        });
        unflushed.clear();
        return batch.isEmpty() ? 0 : store(batch);
    }

    private int store(Map<String, Instant> batch) {
        String[] ids = batch.keySet().toArray(String[]::new);
        String[] times = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            times[i] = batch.get(ids[i]).toString();
        }
        int written = Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE agents a SET last_seen_at = v.t::timestamptz FROM unnest(?::text[], ?::text[]) AS v(id, t)"
                            + " WHERE a.id = v.id::uuid AND (a.last_seen_at IS NULL OR a.last_seen_at < v.t::timestamptz)")) {
                ps.setArray(1, c.createArrayOf("text", ids));
                ps.setArray(2, c.createArrayOf("text", times));
                return ps.executeUpdate();
            }
        });
        batch.forEach((id, t) -> agents.computeIfPresent(
                id,
                (k, e) -> e.storedLastSeen() != null && !t.isAfter(e.storedLastSeen())
                        ? e
                        : new Entry(
                                e.id(),
                                e.name(),
                                e.hostname(),
                                e.role(),
                                e.keyHash(),
                                e.version(),
                                e.address(),
                                e.createdAt(),
                                t)));
        return written;
    }

    /**
     * Hands this core's liveness over to the other cores on one database, with NOTIFY (no row
     * is written): the agents that synced here since the last handover, or, when a core that
     * just started asked for it, every agent this core holds ONLINE. Called periodically
     * ({@link Maintenance}, a quarter of the offline threshold) and whenever a start-up
     * request is pending.
     *
     * @param force hand over even when the period has not elapsed
     * @return the agents handed over
     */
    public int handover(boolean force) {
        long nowNanos = System.nanoTime();
        boolean full = fullHandoverRequested;
        if (!force && !full && nowNanos - lastHandoverNanos < handoverPeriod().toNanos()) {
            return 0;
        }
        lastHandoverNanos = nowNanos;
        Map<String, Instant> batch;
        if (full) {
            fullHandoverRequested = false;
            Instant now = clock.instant();
            batch = new java.util.HashMap<>();
            lastSeen.forEach((id, t) -> {
                if (status(t, now) == AgentInfo.Status.ONLINE) {
                    batch.put(id, t);
                }
            });
            sinceHandover.clear();
        } else {
            batch = Map.copyOf(sinceHandover);
            batch.forEach(sinceHandover::remove);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        List<String> payloads = Liveness.encode(coreId, batch);
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(pg_notify('" + Notifier.SEEN_CHANNEL + "', p)) FROM unnest(?::text[]) AS p")) {
                ps.setArray(1, c.createArrayOf("text", payloads.toArray()));
                ps.execute();
            }
            return null;
        });
        return batch.size();
    }

    /** How often {@link #handover} sends: a quarter of the offline threshold, at least a second. */
    public Duration handoverPeriod() {
        Duration d = settings.offlineAfter().dividedBy(4);
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    /** Asks the other cores for every agent they hold ONLINE (this core just started or reconnected). */
    void askForHandover() {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + Notifier.SEEN_CHANNEL + "', ?)")) {
                ps.setString(1, Liveness.hello(coreId));
                ps.execute();
            }
            return null;
        });
    }

    private void onSeen(String payload) {
        if (payload == null) { // our LISTEN reconnected: handovers may have been missed
            try {
                askForHandover();
            } catch (RuntimeException e) {
                LOG.warn("Asking the other cores for their agents' liveness failed", e);
            }
            return;
        }
        Liveness.Message m = Liveness.decode(payload);
        if (m == null || m.coreId().equals(coreId)) {
            return;
        }
        if (m.hello()) {
            fullHandoverRequested = true;
            return;
        }
        m.seen().forEach((id, t) -> {
            if (agents.containsKey(id)) {
                lastSeen.merge(id, t, AgentRegistry::later);
            }
        });
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    @Override
    public List<AgentInfo> list() {
        Instant now = clock.instant();
        List<AgentInfo> all = new ArrayList<>();
        for (Entry e : agents.values()) {
            all.add(info(e, now));
        }
        all.sort(Comparator.comparing(AgentInfo::name));
        return all;
    }

    @Override
    public Optional<AgentInfo> get(String agentId) {
        if (agentId == null) {
            return Optional.empty();
        }
        Entry e = agents.get(agentId);
        return e == null ? Optional.empty() : Optional.of(info(e, clock.instant()));
    }

    public boolean exists(String agentId) {
        return agentId != null && agents.containsKey(agentId);
    }

    /** Deletes an agent and everything it owns; other cores learn it through NOTIFY. */
    public boolean delete(String agentId) {
        int n = Jdbc.tx(dataSource, c -> {
            int rows;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM agents WHERE id = ?")) {
                ps.setObject(1, UUID.fromString(agentId));
                rows = ps.executeUpdate();
            }
            if (rows > 0) {
                SqlJson.notify(c, agentId);
            }
            return rows;
        });
        forget(agentId);
        if (n > 0) {
            notifier.local(agentId);
        }
        return n > 0;
    }

    /** Reloads one agent from the database (after an enrolment or a change signal). */
    public void reload(String agentId) {
        Optional<UUID> id = Ids.parse(agentId);
        if (id.isEmpty()) {
            return;
        }
        Entry e = Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM agents WHERE id = ?")) {
                ps.setObject(1, id.get());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? entry(rs) : null;
                }
            }
        });
        if (e == null) {
            forget(agentId);
        } else {
            agents.put(agentId, e);
        }
    }

    public void reloadAll() {
        List<Entry> all = Jdbc.auto(dataSource, c -> {
            List<Entry> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM agents");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(entry(rs));
                }
            }
            return list;
        });
        Map<String, Entry> fresh = new ConcurrentHashMap<>();
        all.forEach(e -> fresh.put(e.id(), e));
        agents.keySet().retainAll(fresh.keySet());
        agents.putAll(fresh);
    }

    private void onChange(String agentId) {
        if (agentId == null) {
            reloadAll();
        } else {
            reload(agentId);
        }
    }

    private void forget(String agentId) {
        agents.remove(agentId);
        lastSeen.remove(agentId);
        unflushed.remove(agentId);
        sinceHandover.remove(agentId);
    }

    /** @return the later of the sync seen here and the stored last-seen time */
    public Instant lastSeen(String agentId) {
        Entry e = agents.get(agentId);
        Instant mine = lastSeen.get(agentId);
        Instant stored = e == null ? null : e.storedLastSeen();
        if (mine == null) {
            return stored;
        }
        return stored == null || mine.isAfter(stored) ? mine : stored;
    }

    public AgentInfo.Status status(Instant lastSeenAt, Instant now) {
        return lastSeenAt != null && lastSeenAt.plus(settings.offlineAfter()).isAfter(now)
                ? AgentInfo.Status.ONLINE
                : AgentInfo.Status.OFFLINE;
    }

    private AgentInfo info(Entry e, Instant now) {
        Instant seen = lastSeen(e.id());
        return new AgentInfo(
                e.id(), e.name(), e.hostname(), e.role(), status(seen, now), seen, e.version(), e.address());
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("hostname"),
                AgentInfo.Role.parse(rs.getString("role")).orElse(AgentInfo.Role.HOST),
                rs.getString("api_key_hash"),
                rs.getString("version"),
                rs.getString("address"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "last_seen_at"));
    }
}
