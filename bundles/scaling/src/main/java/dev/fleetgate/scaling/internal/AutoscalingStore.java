package dev.fleetgate.scaling.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import dev.fleetgate.api.input.Fields;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/** Policies and decisions (plain JDBC); owns the schema {@code db/scaling}. */
@Component(service = AutoscalingStore.class)
public final class AutoscalingStore {
    /** Decisions kept per service (the oldest beyond go at the next prune). */
    static final int KEEP_PER_SERVICE = 1000;

    private final DataSource dataSource;

    @Activate
    public AutoscalingStore(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context) {
        this(dataSource);
        migrator.migrate("scaling", context.getBundle(), "db/scaling");
    }

    /** For tests: the schema must exist. */
    AutoscalingStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A stored policy. */
    public record StoredPolicy(UUID serviceId, Policy policy, Instant pausedUntil, String pausedBy, Instant updatedAt) {
        /** @return whether a manual change pauses it at {@code now} */
        public boolean pausedAt(Instant now) {
            return pausedUntil != null && now.isBefore(pausedUntil);
        }
    }

    /** A recorded decision. */
    public record StoredDecision(long id, UUID serviceId, Decision decision) {}

    public Optional<StoredPolicy> get(UUID serviceId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT service_id, policy::text, paused_until, paused_by, "
                    + "updated_at FROM scaling_policy WHERE service_id = ?")) {
                ps.setObject(1, serviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(policy(rs)) : Optional.<StoredPolicy>empty();
                }
            }
        });
    }

    public List<StoredPolicy> all() {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT service_id, policy::text, paused_until, paused_by, "
                    + "updated_at FROM scaling_policy ORDER BY service_id")) {
                List<StoredPolicy> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(policy(rs));
                    }
                }
                return out;
            }
        });
    }

    private static StoredPolicy policy(ResultSet rs) throws java.sql.SQLException {
        Policy p;
        try {
            Fields in = new Fields();
            p = PolicyJson.read(PolicyJson.MAPPER.readTree(rs.getString(2)), in);
            in.check();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable scaling policy of " + rs.getObject(1), e);
        }
        return new StoredPolicy(
                (UUID) rs.getObject(1),
                p,
                Jdbc.instant(rs, "paused_until"),
                rs.getString("paused_by"),
                Jdbc.instant(rs, "updated_at"));
    }

    /** Creates or replaces a policy (and ends a pause). */
    public StoredPolicy put(UUID serviceId, Policy p) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO scaling_policy (service_id, policy) "
                    + "VALUES (?, ?::jsonb) ON CONFLICT (service_id) DO UPDATE SET policy = EXCLUDED.policy, "
                    + "paused_until = NULL, paused_by = NULL, updated_at = now() "
                    + "RETURNING service_id, policy::text, paused_until, paused_by, updated_at")) {
                ps.setObject(1, serviceId);
                ps.setString(2, PolicyJson.write(p).toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return policy(rs);
                }
            }
        });
    }

    /** Pauses a policy until {@code until} (a manual change by {@code by}). */
    public void pause(UUID serviceId, Instant until, String by) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE scaling_policy SET paused_until = ?, paused_by = ? WHERE service_id = ?")) {
                Jdbc.setInstant(ps, 1, until);
                ps.setString(2, by);
                ps.setObject(3, serviceId);
                return ps.executeUpdate();
            }
        });
    }

    /** @return whether there was a policy (its decisions go too) */
    public boolean delete(UUID serviceId) {
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM scaling_decision WHERE service_id = ?");
                    PreparedStatement p = c.prepareStatement("DELETE FROM scaling_policy WHERE service_id = ?")) {
                d.setObject(1, serviceId);
                d.executeUpdate();
                p.setObject(1, serviceId);
                return p.executeUpdate() > 0;
            }
        });
    }

    public void record(UUID serviceId, Decision d) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO scaling_decision (service_id, at, "
                    + "from_replicas, to_replicas, recommended, rule, reason, signals) VALUES (?, ?, ?, ?, ?, ?, ?, "
                    + "?::jsonb)")) {
                ps.setObject(1, serviceId);
                Jdbc.setInstant(ps, 2, Instant.ofEpochMilli(d.at()));
                ps.setInt(3, d.from());
                ps.setInt(4, d.to());
                ps.setInt(5, d.recommended());
                ps.setString(6, d.rule());
                ps.setString(7, d.reason());
                ps.setString(8, PolicyJson.MAPPER.writeValueAsString(d.signals()));
                return ps.executeUpdate();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** @return the newest decisions of a service, newest first */
    public List<StoredDecision> decisions(UUID serviceId, int limit) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, at, from_replicas, to_replicas, recommended, "
                    + "rule, reason, signals::text FROM scaling_decision WHERE service_id = ? ORDER BY id DESC "
                    + "LIMIT ?")) {
                ps.setObject(1, serviceId);
                ps.setInt(2, limit);
                List<StoredDecision> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Double> signals;
                        try {
                            signals = PolicyJson.MAPPER.readValue(
                                    rs.getString(8), new TypeReference<LinkedHashMap<String, Double>>() {});
                        } catch (JsonProcessingException e) {
                            signals = Map.of();
                        }
                        out.add(new StoredDecision(
                                rs.getLong(1),
                                serviceId,
                                new Decision(
                                        Jdbc.instant(rs, "at").toEpochMilli(),
                                        rs.getInt(3),
                                        rs.getInt(4),
                                        rs.getInt(5),
                                        rs.getString(6),
                                        rs.getString(7),
                                        signals)));
                    }
                }
                return out;
            }
        });
    }

    /** Keeps the newest {@value #KEEP_PER_SERVICE} decisions of a service. */
    public int prune(UUID serviceId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM scaling_decision WHERE service_id = ? AND id <"
                    + " (SELECT id FROM scaling_decision WHERE service_id = ? ORDER BY id DESC OFFSET ? LIMIT 1)")) {
                ps.setObject(1, serviceId);
                ps.setObject(2, serviceId);
                ps.setInt(3, KEEP_PER_SERVICE - 1);
                return ps.executeUpdate();
            }
        });
    }
}
