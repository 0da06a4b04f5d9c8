package dev.fleetgate.dns.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.dns.RecordType;
import dev.fleetgate.persistence.Jdbc;

/** The records Fleetgate tracks (table {@code dns_record}), plain JDBC. */
@Component(service = RecordStore.class)
public final class RecordStore {
    private static final String COLUMNS =
            "zone_id, name, type, value, ttl, service_id, state, adopted, last_error, updated_at";

    private final DataSource dataSource;

    /** Takes the schema from the zone store, which migrates it. */
    @Activate
    public RecordStore(@Reference ZoneStore zones) {
        this.dataSource = zones.dataSource();
    }

    public List<TrackedRecord> list() {
        return query("SELECT " + COLUMNS + " FROM dns_record ORDER BY zone_id, name, type, value", null);
    }

    public List<TrackedRecord> list(UUID zoneId) {
        return query("SELECT " + COLUMNS + " FROM dns_record WHERE zone_id = ? ORDER BY name, type, value", zoneId);
    }

    /** Writes a plan's row changes in one transaction. */
    public void write(RecordPlanner.Diff diff) {
        if (diff.isEmpty()) {
            return;
        }
        Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dns_record (zone_id, name, type, value, ttl,"
                    + " service_id, state) VALUES (?, ?, ?, ?, ?, ?, 'ADDING') ON CONFLICT DO NOTHING")) {
                for (RecordPlanner.Desired d : diff.inserts()) {
                    ps.setObject(1, d.zoneId());
                    ps.setString(2, d.name());
                    ps.setString(3, d.type().name());
                    ps.setString(4, d.value());
                    ps.setInt(5, d.ttl());
                    ps.setObject(6, d.serviceId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE dns_record SET ttl = ?, service_id = ?,"
                    + " state = CASE WHEN ? THEN 'ADDING' ELSE state END, updated_at = now()"
                    + " WHERE zone_id = ? AND name = ? AND type = ? AND value = ?")) {
                for (RecordPlanner.Update u : diff.updates()) {
                    ps.setInt(1, u.desired().ttl());
                    ps.setObject(2, u.desired().serviceId());
                    ps.setBoolean(3, u.resend());
                    bindKey(ps, 4, u.desired().key());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE dns_record SET state = 'DELETING', updated_at = now()"
                            + " WHERE zone_id = ? AND name = ? AND type = ? AND value = ?")) {
                for (TrackedRecord.Key k : diff.deletes()) {
                    bindKey(ps, 1, k);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Marks every added record of the zone (all zones when null) to be sent again. */
    public int resendAll(UUID zoneId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dns_record SET state = 'ADDING', updated_at = now()"
                    + " WHERE state = 'PRESENT' AND (?::uuid IS NULL OR zone_id = ?)")) {
                ps.setObject(1, zoneId);
                ps.setObject(2, zoneId);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Records what a lookup found before the first add: committed before the add is sent, so
     * that a crash never makes Fleetgate's own record look adopted.
     */
    public void adopted(Collection<TrackedRecord> adopted, Collection<TrackedRecord> own) {
        if (adopted.isEmpty() && own.isEmpty()) {
            return;
        }
        Jdbc.tx(dataSource, c -> {
            String sql = "UPDATE dns_record SET adopted = ? WHERE zone_id = ? AND name = ? AND type = ? AND value = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (TrackedRecord r : adopted) {
                    ps.setBoolean(1, true);
                    bindKey(ps, 2, r.key());
                    ps.addBatch();
                }
                for (TrackedRecord r : own) {
                    ps.setBoolean(1, false);
                    bindKey(ps, 2, r.key());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The server confirmed: adds are PRESENT, deletes are gone. */
    public void applied(Collection<TrackedRecord> added, Collection<TrackedRecord> deleted) {
        if (added.isEmpty() && deleted.isEmpty()) {
            return;
        }
        Jdbc.tx(dataSource, c -> {
            batch(
                    c,
                    "UPDATE dns_record SET state = 'PRESENT', last_error = NULL, updated_at = now()"
                            + " WHERE zone_id = ? AND name = ? AND type = ? AND value = ? AND state = 'ADDING'",
                    added);
            batch(
                    c,
                    "DELETE FROM dns_record WHERE zone_id = ? AND name = ? AND type = ? AND value = ?"
                            + " AND state = 'DELETING'",
                    deleted);
            return null;
        });
    }

    /** The server failed: the records keep their state and show the error. */
    public void failed(Collection<TrackedRecord> records, String error) {
        Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dns_record SET last_error = ?, updated_at = now()"
                    + " WHERE zone_id = ? AND name = ? AND type = ? AND value = ?")) {
                for (TrackedRecord r : records) {
                    ps.setString(1, error);
                    bindKey(ps, 2, r.key());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static void batch(Connection c, String sql, Collection<TrackedRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (TrackedRecord r : records) {
                bindKey(ps, 1, r.key());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bindKey(PreparedStatement ps, int i, TrackedRecord.Key k) throws SQLException {
        ps.setObject(i, k.zoneId());
        ps.setString(i + 1, k.name());
        ps.setString(i + 2, k.type().name());
        ps.setString(i + 3, k.value());
    }

    private List<TrackedRecord> query(String sql, UUID zoneId) {
        return Jdbc.auto(dataSource, c -> read(c, sql, zoneId));
    }

    private static List<TrackedRecord> read(Connection c, String sql, UUID zoneId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (zoneId != null) {
                ps.setObject(1, zoneId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<TrackedRecord> out = new ArrayList<>();
                while (rs.next()) {
                    Object adopted = rs.getObject("adopted");
                    out.add(new TrackedRecord(
                            rs.getObject("zone_id", UUID.class),
                            rs.getString("name"),
                            RecordType.valueOf(rs.getString("type")),
                            rs.getString("value"),
                            rs.getInt("ttl"),
                            rs.getObject("service_id", UUID.class),
                            TrackedRecord.State.valueOf(rs.getString("state")),
                            adopted == null ? null : (Boolean) adopted,
                            rs.getString("last_error"),
                            Jdbc.instant(rs, "updated_at")));
                }
                return out;
            }
        }
    }
}
