package dev.fleetgate.dns.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/**
 * Zones in PostgreSQL (plain JDBC). The zone name is unique by constraint, so two requests
 * (or two cores) cannot both create it. Also owns the schema of the module.
 */
@Component(service = ZoneStore.class)
public final class ZoneStore {
    private static final String COLUMNS = "id, zone, provider, server, port, tsig_key_name, tsig_algorithm, "
            + "tsig_secret, ttl, created_at, updated_at, last_sync_at, last_error, last_error_at, failures, "
            + "next_attempt_at";

    private final DataSource dataSource;

    @Activate
    public ZoneStore(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context) {
        this(dataSource);
        migrator.migrate("dns", context.getBundle(), "db/dns");
    }

    /** For tests: the schema must exist. */
    public ZoneStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public List<StoredZone> list() {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM dns_zone ORDER BY zone");
                    ResultSet rs = ps.executeQuery()) {
                List<StoredZone> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        });
    }

    public Optional<StoredZone> get(UUID id) {
        return Jdbc.auto(dataSource, c -> one(c, id));
    }

    /**
     * @param sealedSecret the sealed TSIG secret or null
     * @throws ApiException 409 when the zone exists
     */
    public StoredZone create(ZoneInput in, String sealedSecret) {
        UUID id = UUID.randomUUID();
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dns_zone (id, zone, provider, server, port,"
                    + " tsig_key_name, tsig_algorithm, tsig_secret, ttl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (zone) DO NOTHING")) {
                ps.setObject(1, id);
                ps.setString(2, in.zone());
                bind(ps, 3, in, sealedSecret);
                if (ps.executeUpdate() == 0) {
                    throw new ApiException(
                            409,
                            "Zone already configured",
                            List.of(new FieldError("zone", in.zone() + ". is already configured")));
                }
            }
            return one(c, id).orElseThrow();
        });
    }

    /**
     * Replaces the settings (not the name); {@code sealedSecret} null with a key name keeps the
     * stored secret. The error and backoff of the old settings are cleared, and every record of
     * the zone is sent again on the next reconcile, since the server may have changed.
     *
     * @throws ApiException 404 when unknown
     */
    public StoredZone update(UUID id, ZoneInput in, String sealedSecret) {
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dns_zone SET provider = ?, server = ?, port = ?,"
                    + " tsig_key_name = ?, tsig_algorithm = ?,"
                    + " tsig_secret = CASE WHEN ?::text IS NULL THEN NULL ELSE COALESCE(?, tsig_secret) END,"
                    + " ttl = ?, updated_at = now(), failures = 0, next_attempt_at = NULL, last_error = NULL,"
                    + " last_error_at = NULL WHERE id = ?")) {
                ps.setString(1, in.provider());
                ps.setString(2, in.server());
                ps.setInt(3, in.port());
                ps.setString(4, in.tsigKeyName());
                ps.setString(5, in.tsigAlgorithm());
                ps.setString(6, in.tsigKeyName());
                ps.setString(7, sealedSecret);
                ps.setInt(8, in.ttl());
                ps.setObject(9, id);
                if (ps.executeUpdate() == 0) {
                    throw ApiException.notFound("Zone " + id);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE dns_record SET state = 'ADDING', updated_at = now()"
                    + " WHERE zone_id = ? AND state = 'PRESENT'")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return one(c, id).orElseThrow();
        });
    }

    /** @return whether it existed; its tracked records are forgotten with it */
    public boolean delete(UUID id) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dns_zone WHERE id = ?")) {
                ps.setObject(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Records a successful exchange: clears the error and the backoff. */
    public void synced(UUID id, Instant at) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dns_zone SET last_sync_at = ?, last_error = NULL,"
                    + " last_error_at = NULL, failures = 0, next_attempt_at = NULL WHERE id = ?")) {
                Jdbc.setInstant(ps, 1, at);
                ps.setObject(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Records a failure and when to try again. */
    public void failed(UUID id, String error, Instant at, int failures, Instant nextAttempt) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dns_zone SET last_error = ?, last_error_at = ?,"
                    + " failures = ?, next_attempt_at = ? WHERE id = ?")) {
                ps.setString(1, error);
                Jdbc.setInstant(ps, 2, at);
                ps.setInt(3, failures);
                Jdbc.setInstant(ps, 4, nextAttempt);
                ps.setObject(5, id);
                return ps.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement ps, int i, ZoneInput in, String sealedSecret) throws SQLException {
        ps.setString(i, in.provider());
        ps.setString(i + 1, in.server());
        ps.setInt(i + 2, in.port());
        ps.setString(i + 3, in.tsigKeyName());
        ps.setString(i + 4, in.tsigAlgorithm());
        ps.setString(i + 5, in.tsigKeyName() == null ? null : sealedSecret);
        ps.setInt(i + 6, in.ttl());
    }

    private static Optional<StoredZone> one(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM dns_zone WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static StoredZone read(ResultSet rs) throws SQLException {
        return new StoredZone(
                rs.getObject("id", UUID.class),
                rs.getString("zone"),
                rs.getString("provider"),
                rs.getString("server"),
                rs.getInt("port"),
                rs.getString("tsig_key_name"),
                rs.getString("tsig_algorithm"),
                rs.getString("tsig_secret"),
                rs.getInt("ttl"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"),
                new StoredZone.Status(
                        Jdbc.instant(rs, "last_sync_at"),
                        rs.getString("last_error"),
                        Jdbc.instant(rs, "last_error_at"),
                        rs.getInt("failures"),
                        Jdbc.instant(rs, "next_attempt_at")));
    }
}
