package dev.fleetgate.metrics.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.persistence.Jdbc;

/** Scrape definitions per service, in {@code metric_scrape}. */
@Component(service = ScrapeStore.class)
public final class ScrapeStore {

    /** What agents scrape for one service. */
    public record Scrape(String serviceId, String format, String path, int intervalSeconds, Instant updatedAt) {}

    private final DataSource dataSource;

    @Activate
    public ScrapeStore(@Reference MetricsStorage storage) {
        this.dataSource = storage.dataSource();
    }

    public List<Scrape> list() {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT service_id, format, path, interval_seconds,"
                            + " updated_at FROM metric_scrape ORDER BY service_id");
                    ResultSet rs = ps.executeQuery()) {
                List<Scrape> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        });
    }

    public Optional<Scrape> get(UUID serviceId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT service_id, format, path, interval_seconds,"
                    + " updated_at FROM metric_scrape WHERE service_id = ?")) {
                ps.setObject(1, serviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Creates or replaces the scrape of a service. */
    public Scrape put(UUID serviceId, String format, String path, int intervalSeconds) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO metric_scrape (service_id, format, path,"
                    + " interval_seconds) VALUES (?, ?, ?, ?) ON CONFLICT (service_id) DO UPDATE SET format ="
                    + " EXCLUDED.format, path = EXCLUDED.path, interval_seconds = EXCLUDED.interval_seconds,"
                    + " updated_at = now() RETURNING service_id, format, path, interval_seconds, updated_at")) {
                ps.setObject(1, serviceId);
                ps.setString(2, format);
                ps.setString(3, path);
                ps.setInt(4, intervalSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return read(rs);
                }
            }
        });
    }

    /** @return whether it existed */
    public boolean delete(UUID serviceId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM metric_scrape WHERE service_id = ?")) {
                ps.setObject(1, serviceId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static Scrape read(ResultSet rs) throws SQLException {
        return new Scrape(
                rs.getObject(1, UUID.class).toString(),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                Jdbc.instant(rs, "updated_at"));
    }
}
