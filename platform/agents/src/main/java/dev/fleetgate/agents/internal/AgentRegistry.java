package dev.fleetgate.agents.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
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

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;

/**
 * The enrolled agents, cached in memory: API key checks and last-seen times need no
 * database access per sync. Last-seen times are flushed for all agents in one statement.
 */
@Component(service = {AgentDirectory.class, AgentRegistry.class}, configurationPid = AgentsConfig.PID)
@Designate(ocd = AgentsConfig.class)
public final class AgentRegistry implements AgentDirectory {

    /** Outcome of an API key check. */
    public enum Check { OK, UNKNOWN, BAD_KEY }

    /** One agent row. */
    record Entry(String id, String name, String hostname, String role, String keyHash, String version,
            String address, Instant createdAt, Instant storedLastSeen) {
    }

    private static final String COLUMNS =
            "id, name, hostname, role, api_key_hash, version, address, created_at, last_seen_at";

    private final DataSource dataSource;
    private final Notifier notifier;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Entry> agents = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Instant> unflushed = new ConcurrentHashMap<>();
    /** The last-seen time this core last stored per agent. */
    private final Map<String, Instant> stored = new ConcurrentHashMap<>();
    private final Notifier.Listener listener = this::onChange;

    @Activate
    public AgentRegistry(@Reference(target = Database.TARGET) DataSource dataSource,
            @Reference AgentsSchema schema, @Reference Notifier notifier, AgentsConfig config) {
        this(dataSource, notifier, Settings.of(config), Clock.systemUTC());
    }

    AgentRegistry(DataSource dataSource, Notifier notifier, Settings settings, Clock clock) {
        this.dataSource = dataSource;
        this.notifier = notifier;
        this.settings = settings;
        this.clock = clock;
        reloadAll();
        notifier.addListener(listener);
    }

    @Deactivate
    public void close() {
        notifier.removeListener(listener);
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
     * Records a sync: the time in memory only; version, hostname and address are written
     * when they changed.
     */
    public void seen(String agentId, String version, String hostname, String address) {
        Instant now = clock.instant();
        lastSeen.put(agentId, now);
        // This core judges ONLINE from memory; other cores read the stored time, which only has
        // to stay fresher than the offline threshold: rewrite it once it is half that old.
        Instant last = stored.get(agentId);
        if (last == null || !last.plus(settings.offlineAfter().dividedBy(2)).isAfter(now)) {
            unflushed.put(agentId, now);
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
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE agents SET version = ?, hostname = ?, address = ? WHERE id = ?")) {
                ps.setString(1, v);
                ps.setString(2, h);
                ps.setString(3, a);
                ps.setObject(4, UUID.fromString(agentId));
                return ps.executeUpdate();
            }
        });
        agents.put(agentId, new Entry(e.id(), e.name(), h, e.role(), e.keyHash(), v, a, e.createdAt(),
                e.storedLastSeen()));
    }

    /**
     * Writes the last-seen times gathered since the last flush, all in one statement. An agent
     * syncing steadily is written once per half offline threshold, not once per sync.
     */
    public int flushLastSeen() {
        if (unflushed.isEmpty()) {
            return 0;
        }
        Map<String, Instant> batch = Map.copyOf(unflushed);
        batch.forEach(unflushed::remove); // removes only if not replaced meanwhile
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
        stored.putAll(batch);
        return written;
    }

    /** Reads the stored last-seen times, which other cores flush. */
    public void refreshStoredLastSeen() {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, last_seen_at FROM agents");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant t = Jdbc.instant(rs, "last_seen_at");
                    agents.computeIfPresent(rs.getString("id"), (k, e) -> new Entry(e.id(), e.name(), e.hostname(),
                            e.role(), e.keyHash(), e.version(), e.address(), e.createdAt(), t));
                }
            }
            return null;
        });
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
        stored.remove(agentId);
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
                ? AgentInfo.Status.ONLINE : AgentInfo.Status.OFFLINE;
    }

    private AgentInfo info(Entry e, Instant now) {
        Instant seen = lastSeen(e.id());
        return new AgentInfo(e.id(), e.name(), e.hostname(), e.role(), status(seen, now), seen, e.version(),
                e.address());
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getString("id"), rs.getString("name"), rs.getString("hostname"), rs.getString("role"),
                rs.getString("api_key_hash"), rs.getString("version"), rs.getString("address"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_seen_at"));
    }
}
