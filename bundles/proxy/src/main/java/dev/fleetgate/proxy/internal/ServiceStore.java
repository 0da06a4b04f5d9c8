package dev.fleetgate.proxy.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/**
 * Services in PostgreSQL (plain JDBC, config as JSONB). Domain and name uniqueness are
 * enforced by constraints, so two cores (or two requests) cannot both take a domain.
 */
@Component(service = ServiceStore.class)
public final class ServiceStore {
    private static final String COLUMNS = "id, revision, config::text, created_at, updated_at";
    private static final String UNIQUE_VIOLATION = "23505";
    /** Revisions kept per service in {@code proxy_service_revision}; older ones are dropped on each change. */
    public static final int KEPT_REVISIONS = 100;
    /** Deleted services whose history is kept (the most recently deleted); older ones go on each delete. */
    public static final int KEPT_DELETED = 100;

    /** A deleted service, as its last (DELETED) revision says. */
    public record DeletedService(UUID id, String name, long revision, java.time.Instant deletedAt, String deletedBy) {}

    private final DataSource dataSource;

    @Activate
    public ServiceStore(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context) {
        this(dataSource);
        migrator.migrate("proxy", context.getBundle(), "db/proxy");
    }

    /** For tests: the schema must exist. */
    public ServiceStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<StoredService> list() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM proxy_service ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            List<StoredService> out = new ArrayList<>();
            while (rs.next()) {
                out.add(read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw failure("list services", e);
        }
    }

    public Optional<StoredService> get(UUID id) {
        return one("SELECT " + COLUMNS + " FROM proxy_service WHERE id = ?", id);
    }

    public Optional<StoredService> findByName(String name) {
        return one("SELECT " + COLUMNS + " FROM proxy_service WHERE name = ?", name);
    }

    /**
     * @param by the user creating it (recorded in the history)
     * @throws ApiException 409 when the name or a domain is taken
     */
    public StoredService create(ServiceConfig config, String by) {
        UUID id = UUID.randomUUID();
        return Jdbc.tx(dataSource, c -> {
            return insert(c, id, 1, config, "(name)", by, ServiceRevision.CREATED, null);
        });
    }

    /**
     * Replaces the configuration and bumps the revision.
     *
     * @param by the user changing it (recorded in the history)
     * @throws ApiException 404 when unknown, 409 when the name or a domain is taken
     */
    public StoredService update(UUID id, ServiceConfig config, String by) {
        return update(id, config, by, ServiceRevision.UPDATED, null);
    }

    /**
     * Stores {@code config} (taken from revision {@code source}) as a new revision.
     *
     * @throws ApiException 404 when unknown, 409 when the name or a domain is taken
     */
    public StoredService rollback(UUID id, ServiceConfig config, String by, long source) {
        return update(id, config, by, ServiceRevision.ROLLED_BACK, source);
    }

    private StoredService update(UUID id, ServiceConfig config, String by, String action, Long source) {
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE proxy_service SET name = ?, config = ?::jsonb,"
                    + " revision = revision + 1, updated_at = now() WHERE id = ?")) {
                ps.setString(1, config.name());
                ps.setString(2, json(config));
                ps.setObject(3, id);
                if (ps.executeUpdate() == 0) {
                    throw ApiException.notFound("Service " + id);
                }
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw nameTaken(config.name());
                }
                throw e;
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM proxy_service_domain WHERE service_id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return withDomains(c, id, config, by, action, source);
        });
    }

    /**
     * Replaces the configuration if the service is still at {@code revision}, keeping its name
     * and domains (for changes that touch neither, such as the replica count).
     *
     * @return the updated service, or empty when it is gone or changed meanwhile
     */
    public Optional<StoredService> updateIfRevision(
            UUID id, long revision, ServiceConfig config, String by, String action) {
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE proxy_service SET config = ?::jsonb,"
                    + " revision = revision + 1, updated_at = now() WHERE id = ? AND revision = ? AND name = ?"
                    + " RETURNING " + COLUMNS)) {
                ps.setString(1, json(config));
                ps.setObject(2, id);
                ps.setLong(3, revision);
                ps.setString(4, config.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(recorded(c, read(rs), by, action, null)) : Optional.empty();
                }
            }
        });
    }

    /** @return the kept revisions of a service, newest first, without their configuration; empty when unknown */
    public List<ServiceRevision> revisions(UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT revision, changed_at, changed_by, action,"
                        + " source_revision FROM proxy_service_revision WHERE service_id = ? ORDER BY revision DESC")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<ServiceRevision> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(revision(rs, null));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failure("list revisions", e);
        }
    }

    /** @return one kept revision with its configuration */
    public Optional<ServiceRevision> revision(UUID id, long revision) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT revision, changed_at, changed_by, action,"
                        + " source_revision, config::text FROM proxy_service_revision"
                        + " WHERE service_id = ? AND revision = ?")) {
            ps.setObject(1, id);
            ps.setLong(2, revision);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(revision(rs, config(rs.getString(6), id))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read revision", e);
        }
    }

    private static ServiceRevision revision(ResultSet rs, ServiceConfig config) throws SQLException {
        Long source = rs.getObject(5, Long.class);
        return new ServiceRevision(
                rs.getLong(1),
                rs.getObject(2, OffsetDateTime.class).toInstant(),
                rs.getString(3),
                rs.getString(4),
                source,
                config);
    }

    /**
     * Inserts a service row at {@code revision} (409 when {@code ON CONFLICT conflict} finds its name taken) and its
     * domains, records the revision and returns the service.
     */
    private static StoredService insert(
            Connection c,
            UUID id,
            long revision,
            ServiceConfig config,
            String conflict,
            String by,
            String action,
            Long source)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO proxy_service (id, name, revision, config)"
                + " VALUES (?, ?, ?, ?::jsonb) ON CONFLICT " + conflict + " DO NOTHING")) {
            ps.setObject(1, id);
            ps.setString(2, config.name());
            ps.setLong(3, revision);
            ps.setString(4, json(config));
            if (ps.executeUpdate() == 0) {
                throw nameTaken(config.name());
            }
        }
        return withDomains(c, id, config, by, action, source);
    }

    /** Inserts the service's domains, records its revision and returns the service as stored. */
    private static StoredService withDomains(
            Connection c, UUID id, ServiceConfig config, String by, String action, Long source) throws SQLException {
        insertDomains(c, id, config);
        return recorded(
                c,
                one(c, "SELECT " + COLUMNS + " FROM proxy_service WHERE id = ?", id)
                        .orElseThrow(),
                by,
                action,
                source);
    }

    /** Records {@code s} in the history (same transaction) and drops revisions beyond {@link #KEPT_REVISIONS}. */
    private static StoredService recorded(Connection c, StoredService s, String by, String action, Long source)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO proxy_service_revision (service_id, revision,"
                + " config, changed_by, changed_at, action, source_revision) VALUES (?, ?, ?::jsonb, ?, ?, ?, ?)")) {
            ps.setObject(1, s.id());
            ps.setLong(2, s.revision());
            ps.setString(3, json(s.config()));
            ps.setString(4, by);
            ps.setObject(5, s.updatedAt().atOffset(java.time.ZoneOffset.UTC));
            ps.setString(6, action);
            ps.setObject(7, source);
            ps.executeUpdate();
        }
        dropOld(c, s.id(), s.revision());
        return s;
    }

    /** Drops the revisions of a service beyond the {@link #KEPT_REVISIONS} up to {@code latest}. */
    private static void dropOld(Connection c, UUID id, long latest) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM proxy_service_revision WHERE service_id = ? AND revision <= ?")) {
            ps.setObject(1, id);
            ps.setLong(2, latest - KEPT_REVISIONS);
            ps.executeUpdate();
        }
    }

    /**
     * Deletes a service and records a {@link ServiceRevision#DELETED} revision with its last configuration: its
     * history stays (bounded by {@link #KEPT_DELETED}).
     *
     * @param by the user deleting it (recorded in the history)
     * @return whether it existed; its domains are free afterwards
     */
    public boolean delete(UUID id, String by) {
        return Jdbc.tx(dataSource, c -> {
            long revision;
            String config;
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM proxy_service WHERE id = ? RETURNING revision, config::text")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    revision = rs.getLong(1);
                    config = rs.getString(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO proxy_service_revision (service_id, revision,"
                    + " config, changed_by, changed_at, action) VALUES (?, ?, ?::jsonb, ?, now(), ?)")) {
                ps.setObject(1, id);
                ps.setLong(2, revision + 1);
                ps.setString(3, config);
                ps.setString(4, by);
                ps.setString(5, ServiceRevision.DELETED);
                ps.executeUpdate();
            }
            dropOld(c, id, revision + 1);
            // only the most recently deleted services keep their history
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM proxy_service_revision WHERE service_id IN ("
                    + " SELECT service_id FROM (SELECT r.service_id, max(r.changed_at) AS at FROM proxy_service_revision r"
                    + "  WHERE r.action = 'DELETED' AND NOT EXISTS (SELECT 1 FROM proxy_service s WHERE s.id = r.service_id)"
                    + "  GROUP BY r.service_id) d ORDER BY at DESC, service_id OFFSET ?)")) {
                ps.setInt(1, KEPT_DELETED);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** @return the deleted services whose history is kept, most recently deleted first */
    public List<DeletedService> deleted() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT r.service_id, r.config->>'name', r.revision,"
                        + " r.changed_at, r.changed_by FROM proxy_service_revision r WHERE r.action = 'DELETED'"
                        + " AND NOT EXISTS (SELECT 1 FROM proxy_service s WHERE s.id = r.service_id)"
                        + " AND r.revision = (SELECT max(x.revision) FROM proxy_service_revision x"
                        + "  WHERE x.service_id = r.service_id) ORDER BY r.changed_at DESC, r.service_id");
                ResultSet rs = ps.executeQuery()) {
            List<DeletedService> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new DeletedService(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(),
                        rs.getString(5)));
            }
            return out;
        } catch (SQLException e) {
            throw failure("list deleted services", e);
        }
    }

    /**
     * Creates a deleted service again, with its id, from {@code config} (taken from its revision {@code source}),
     * as the revision after its DELETED one.
     *
     * @throws ApiException 404 when it is not a deleted service (any more), 409 when its name or a domain is taken
     */
    public StoredService restore(UUID id, ServiceConfig config, String by, long source) {
        return Jdbc.tx(dataSource, c -> {
            long next;
            try (PreparedStatement ps = c.prepareStatement("SELECT revision, action FROM proxy_service_revision"
                    + " WHERE service_id = ? ORDER BY revision DESC LIMIT 1 FOR UPDATE")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !ServiceRevision.DELETED.equals(rs.getString(2))) {
                        throw ApiException.notFound("Deleted service " + id);
                    }
                    next = rs.getLong(1) + 1;
                }
            }
            return insert(c, id, next, config, "", by, ServiceRevision.RESTORED, source);
        });
    }

    /**
     * {@code ON CONFLICT DO NOTHING} waits for a concurrent transaction holding the same
     * domain and then inserts nothing if it committed: 0 rows = taken.
     */
    private static void insertDomains(Connection c, UUID id, ServiceConfig config) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO proxy_service_domain (domain, service_id)"
                + " VALUES (?, ?) ON CONFLICT (domain) DO NOTHING")) {
            List<FieldError> taken = new ArrayList<>();
            for (int i = 0; i < config.domains().size(); i++) {
                String d = config.domains().get(i);
                ps.setString(1, d);
                ps.setObject(2, id);
                if (ps.executeUpdate() == 0) {
                    taken.add(new FieldError("domains[" + i + "]", d + " is already used by service " + owner(c, d)));
                }
            }
            if (!taken.isEmpty()) {
                throw new ApiException(409, "Domain already used by another service", taken);
            }
        }
    }

    private static String owner(Connection c, String domain) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT s.name FROM proxy_service_domain d"
                + " JOIN proxy_service s ON s.id = d.service_id WHERE d.domain = ?")) {
            ps.setString(1, domain);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "(deleted meanwhile)";
            }
        }
    }

    private Optional<StoredService> one(String sql, Object key) {
        try (Connection c = dataSource.getConnection()) {
            return one(c, sql, key);
        } catch (SQLException e) {
            throw failure("read service", e);
        }
    }

    private static Optional<StoredService> one(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static StoredService read(ResultSet rs) throws SQLException {
        UUID id = rs.getObject(1, UUID.class);
        return new StoredService(
                id,
                rs.getLong(2),
                config(rs.getString(3), id),
                rs.getObject(4, OffsetDateTime.class).toInstant(),
                rs.getObject(5, OffsetDateTime.class).toInstant());
    }

    private static ServiceConfig config(String json, UUID id) {
        try {
            return Json.MAPPER.readValue(json, ServiceConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored service " + id + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static String json(ServiceConfig config) {
        try {
            return Json.MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException nameTaken(String name) {
        return new ApiException(
                409,
                "Service name already used",
                List.of(new FieldError("name", name + " is already used by another service")));
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("Could not " + what + ": " + e.getMessage(), e);
    }
}
