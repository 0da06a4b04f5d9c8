package dev.fleetgate.pages.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/** Stored templates and maintenance settings (plain JDBC); owns the schema. */
@Component(service = PagesStore.class)
public final class PagesStore {
    /** The scope of the fleet-wide templates. */
    public static final String DEFAULT_SCOPE = "default";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    @Activate
    public PagesStore(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context) {
        this(dataSource);
        migrator.migrate("pages", context.getBundle(), "db/pages");
    }

    /** For tests: the schema must exist. */
    PagesStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A maintenance setting. */
    public record Maintenance(
            UUID serviceId,
            boolean enabled,
            String message,
            Integer retryAfterSeconds,
            List<String> allow,
            Instant startsAt,
            Instant endsAt) {
        public Maintenance {
            allow = allow == null ? List.of() : List.copyOf(allow);
        }

        /** @return whether it is in force at {@code now} */
        public boolean activeAt(Instant now) {
            return enabled && (startsAt == null || !now.isBefore(startsAt)) && (endsAt == null || now.isBefore(endsAt));
        }
    }

    /** @return page key → template of a scope */
    public Map<String, String> templates(String scope) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT page, html FROM page_template WHERE scope = ?")) {
                ps.setString(1, scope);
                Map<String, String> out = new TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
                return out;
            }
        });
    }

    /** @return scope → (page key → template) of every scope */
    public Map<String, Map<String, String>> allTemplates() {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT scope, page, html FROM page_template")) {
                Map<String, Map<String, String>> out = new TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                                .put(rs.getString(2), rs.getString(3));
                    }
                }
                return out;
            }
        });
    }

    public void putTemplate(String scope, String page, String html) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO page_template (scope, page, html) VALUES (?, ?, ?) "
                            + "ON CONFLICT (scope, page) DO UPDATE SET html = EXCLUDED.html, updated_at = now()")) {
                ps.setString(1, scope);
                ps.setString(2, page);
                ps.setString(3, html);
                return ps.executeUpdate();
            }
        });
    }

    /** @return whether a row was removed */
    public boolean deleteTemplate(String scope, String page) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM page_template WHERE scope = ? AND page = ?")) {
                ps.setString(1, scope);
                ps.setString(2, page);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Removes everything stored for a service (it was deleted). */
    public void forgetService(UUID serviceId) {
        Jdbc.tx(dataSource, c -> {
            try (PreparedStatement a = c.prepareStatement("DELETE FROM page_template WHERE scope = ?");
                    PreparedStatement b = c.prepareStatement("DELETE FROM page_maintenance WHERE service_id = ?")) {
                a.setString(1, serviceId.toString());
                a.executeUpdate();
                b.setObject(1, serviceId);
                return b.executeUpdate();
            }
        });
    }

    public Optional<Maintenance> maintenance(UUID serviceId) {
        return maintenances().stream()
                .filter(m -> m.serviceId().equals(serviceId))
                .findFirst();
    }

    public List<Maintenance> maintenances() {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT service_id, enabled, message, retry_after_seconds, "
                    + "allow::text, starts_at, ends_at FROM page_maintenance ORDER BY service_id")) {
                List<Maintenance> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int retry = rs.getInt(4);
                        Integer retryAfter = rs.wasNull() ? null : retry;
                        out.add(new Maintenance(
                                rs.getObject(1, UUID.class),
                                rs.getBoolean(2),
                                rs.getString(3),
                                retryAfter,
                                strings(rs.getString(5)),
                                Jdbc.instant(rs, "starts_at"),
                                Jdbc.instant(rs, "ends_at")));
                    }
                }
                return out;
            }
        });
    }

    public void putMaintenance(Maintenance m) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO page_maintenance (service_id, enabled, message, "
                            + "retry_after_seconds, allow, starts_at, ends_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?) "
                            + "ON CONFLICT (service_id) DO UPDATE SET enabled = EXCLUDED.enabled, message = EXCLUDED.message, "
                            + "retry_after_seconds = EXCLUDED.retry_after_seconds, allow = EXCLUDED.allow, "
                            + "starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, updated_at = now()")) {
                ps.setObject(1, m.serviceId());
                ps.setBoolean(2, m.enabled());
                ps.setString(3, m.message());
                if (m.retryAfterSeconds() == null) {
                    ps.setNull(4, Types.INTEGER);
                } else {
                    ps.setInt(4, m.retryAfterSeconds());
                }
                ps.setString(5, json(m.allow()));
                Jdbc.setInstant(ps, 6, m.startsAt());
                Jdbc.setInstant(ps, 7, m.endsAt());
                return ps.executeUpdate();
            }
        });
    }

    private static String json(List<String> l) {
        try {
            return JSON.writeValueAsString(l);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(String json) {
        try {
            return json == null ? List.of() : JSON.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
