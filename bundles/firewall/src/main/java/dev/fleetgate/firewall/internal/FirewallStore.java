package dev.fleetgate.firewall.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/** Blocks, repeat offenders and the settings document (plain JDBC); owns the schema. */
@Component(service = FirewallStore.class)
public final class FirewallStore {
    /** The scope key of fleet-wide blocks. */
    public static final String GLOBAL = "global";

    private final DataSource dataSource;

    @Activate
    public FirewallStore(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context) {
        this(dataSource);
        migrator.migrate("firewall", context.getBundle(), "db/firewall");
    }

    /** For tests: the schema must exist. */
    FirewallStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A block (or, not enforced, a shadow decision).
     *
     * @param serviceId null for a fleet-wide block
     * @param evidence  JSON text
     */
    public record Block(
            String ip,
            UUID serviceId,
            String detector,
            String action,
            boolean enforced,
            String reason,
            String evidence,
            Instant since,
            Instant expiresAt) {
        public String scopeKey() {
            return serviceId == null ? GLOBAL : serviceId.toString();
        }
    }

    /** @return blocks not expired at {@code now}, newest first */
    public List<Block> blocks(Instant now) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ip, service_id, detector, action, enforced, reason, "
                            + "evidence::text, since, expires_at FROM firewall_block WHERE expires_at > ? ORDER BY since DESC, ip")) {
                Jdbc.setInstant(ps, 1, now);
                return blocks(ps);
            }
        });
    }

    /** @return the block of {@code ip} in a scope, expired or not */
    public Optional<Block> block(String ip, UUID serviceId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ip, service_id, detector, action, enforced, reason, "
                    + "evidence::text, since, expires_at FROM firewall_block WHERE ip = ? AND scope_key = ?")) {
                ps.setString(1, ip);
                ps.setString(2, serviceId == null ? GLOBAL : serviceId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(block(rs)) : Optional.empty();
                }
            }
        });
    }

    private static List<Block> blocks(PreparedStatement ps) throws SQLException {
        List<Block> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(block(rs));
            }
        }
        return out;
    }

    private static Block block(ResultSet rs) throws SQLException {
        String svc = rs.getString(2);
        return new Block(
                rs.getString(1),
                svc == null ? null : UUID.fromString(svc),
                rs.getString(3),
                rs.getString(4),
                rs.getBoolean(5),
                rs.getString(6),
                rs.getString(7),
                Jdbc.instant(rs, "since"),
                Jdbc.instant(rs, "expires_at"));
    }

    /**
     * Stores a block, replacing the one of the same address and scope.
     */
    public void put(Block b) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO firewall_block (ip, scope_key, service_id, "
                    + "detector, action, enforced, reason, evidence, since, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) "
                    + "ON CONFLICT (ip, scope_key) DO UPDATE SET service_id = EXCLUDED.service_id, detector = EXCLUDED.detector, "
                    + "action = EXCLUDED.action, enforced = EXCLUDED.enforced, reason = EXCLUDED.reason, "
                    + "evidence = EXCLUDED.evidence, since = EXCLUDED.since, expires_at = EXCLUDED.expires_at")) {
                ps.setString(1, b.ip());
                ps.setString(2, b.scopeKey());
                if (b.serviceId() == null) {
                    ps.setNull(3, Types.OTHER);
                } else {
                    ps.setObject(3, b.serviceId());
                }
                ps.setString(4, b.detector());
                ps.setString(5, b.action());
                ps.setBoolean(6, b.enforced());
                ps.setString(7, b.reason());
                ps.setString(8, b.evidence() == null ? "{}" : b.evidence());
                Jdbc.setInstant(ps, 9, b.since());
                Jdbc.setInstant(ps, 10, b.expiresAt());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Counts an offence of {@code ip}; offences older than {@code forgetBefore} are forgotten first.
     *
     * @return the offences before this one
     */
    public int offend(String ip, Instant now, Instant forgetBefore) {
        return Jdbc.tx(dataSource, c -> {
            int before = 0;
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT offences, last_at FROM firewall_offender WHERE ip = ? FOR UPDATE")) {
                ps.setString(1, ip);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && Jdbc.instant(rs, "last_at").isAfter(forgetBefore)) {
                        before = rs.getInt(1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO firewall_offender (ip, offences, last_at) "
                            + "VALUES (?, ?, ?) ON CONFLICT (ip) DO UPDATE SET offences = EXCLUDED.offences, last_at = EXCLUDED.last_at")) {
                ps.setString(1, ip);
                ps.setInt(2, before + 1);
                Jdbc.setInstant(ps, 3, now);
                ps.executeUpdate();
            }
            return before;
        });
    }

    /** @return how many blocks were removed (of every scope when {@code allScopes}) */
    public int delete(String ip, UUID serviceId, boolean allScopes) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    allScopes
                            ? "DELETE FROM firewall_block WHERE ip = ?"
                            : "DELETE FROM firewall_block WHERE ip = ? AND scope_key = ?")) {
                ps.setString(1, ip);
                if (!allScopes) {
                    ps.setString(2, serviceId == null ? GLOBAL : serviceId.toString());
                }
                return ps.executeUpdate();
            }
        });
    }

    /** Removes blocks expired at {@code now}. @return the removed blocks */
    public List<Block> purge(Instant now) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM firewall_block WHERE expires_at <= ? RETURNING "
                    + "ip, service_id, detector, action, enforced, reason, evidence::text, since, expires_at")) {
                Jdbc.setInstant(ps, 1, now);
                return blocks(ps);
            }
        });
    }

    /** @return the settings document (JSON text), or empty when never saved */
    public Optional<String> settings() {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT body::text FROM firewall_settings WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    public void putSettings(String json) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO firewall_settings (id, body) VALUES (1, ?::jsonb) "
                            + "ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, updated_at = now()")) {
                ps.setString(1, json);
                return ps.executeUpdate();
            }
        });
    }
}
