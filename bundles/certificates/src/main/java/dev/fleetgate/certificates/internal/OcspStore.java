package dev.fleetgate.certificates.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import dev.fleetgate.persistence.Jdbc;

/** The OCSP state of each certificate's current version ({@code certificate_ocsp}, plain JDBC). */
public final class OcspStore {
    private static final String COLUMNS = "certificate_id, version, url, status, response, this_update, next_update, "
            + "revoked_at, fetched_at, next_fetch_at, failures, error";

    private final DataSource dataSource;

    OcspStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param version  the certificate version the state belongs to (a new certificate starts again)
     * @param url      the responder, null when the leaf names none
     * @param status   none, pending (not fetched yet), good, revoked, unknown
     * @param response the last verified response (DER), good or revoked, or null
     */
    public record State(
            UUID certificateId,
            int version,
            String url,
            String status,
            byte[] response,
            Instant thisUpdate,
            Instant nextUpdate,
            Instant revokedAt,
            Instant fetchedAt,
            Instant nextFetchAt,
            int failures,
            String error) {

        /** @return the response to staple at {@code now}: verified, good or revoked, not past its nextUpdate */
        public byte[] stapleAt(Instant now) {
            if (response == null || !("good".equals(status) || "revoked".equals(status))) {
                return null;
            }
            return nextUpdate == null || nextUpdate.isAfter(now) ? response : null;
        }
    }

    Map<UUID, State> all() {
        return Jdbc.auto(dataSource, c -> {
            Map<UUID, State> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM certificate_ocsp");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    State s = read(rs);
                    out.put(s.certificateId(), s);
                }
            }
            return out;
        });
    }

    Optional<State> get(UUID certificateId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM certificate_ocsp WHERE certificate_id = ?")) {
                ps.setObject(1, certificateId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Starts the state of a (new) certificate version: nothing fetched, due now when it has a responder. */
    void reset(UUID certificateId, int version, String url, String error) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO certificate_ocsp (certificate_id, version, url, "
                            + "status, error, next_fetch_at) VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (certificate_id) DO "
                            + "UPDATE SET version = EXCLUDED.version, url = EXCLUDED.url, status = EXCLUDED.status, "
                            + "response = NULL, this_update = NULL, next_update = NULL, revoked_at = NULL, fetched_at = NULL, "
                            + "next_fetch_at = now(), failures = 0, error = EXCLUDED.error")) {
                ps.setObject(1, certificateId);
                ps.setInt(2, version);
                ps.setString(3, url);
                ps.setString(4, url == null ? "none" : "pending");
                ps.setString(5, error);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Takes a due fetch for this core: moves {@code next_fetch_at} on by {@code lease} when it is still the one
     * read (another core that read it too then finds it changed).
     *
     * @return true when this core fetches it
     */
    boolean claim(State s, Instant leaseUntil) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE certificate_ocsp SET next_fetch_at = ? "
                    + "WHERE certificate_id = ? AND version = ? AND next_fetch_at = ?")) {
                Jdbc.setInstant(ps, 1, leaseUntil);
                ps.setObject(2, s.certificateId());
                ps.setInt(3, s.version());
                Jdbc.setInstant(ps, 4, s.nextFetchAt());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Records a verified response. */
    void fetched(State s, Ocsp.Result r, Instant nextFetch) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE certificate_ocsp SET status = ?, response = ?, "
                    + "this_update = ?, next_update = ?, revoked_at = ?, fetched_at = now(), next_fetch_at = ?, "
                    + "failures = 0, error = NULL WHERE certificate_id = ? AND version = ?")) {
                ps.setString(1, r.status());
                ps.setBytes(2, "unknown".equals(r.status()) ? null : r.der());
                Jdbc.setInstant(ps, 3, r.thisUpdate());
                Jdbc.setInstant(ps, 4, r.nextUpdate());
                Jdbc.setInstant(ps, 5, r.revokedAt());
                Jdbc.setInstant(ps, 6, nextFetch);
                ps.setObject(7, s.certificateId());
                ps.setInt(8, s.version());
                return ps.executeUpdate();
            }
        });
    }

    /** Records a failed fetch; the last verified response stays (stapled until its nextUpdate). */
    void failed(State s, String error, Instant nextFetch) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE certificate_ocsp SET failures = failures + 1, "
                    + "error = ?, next_fetch_at = ? WHERE certificate_id = ? AND version = ?")) {
                ps.setString(1, error);
                Jdbc.setInstant(ps, 2, nextFetch);
                ps.setObject(3, s.certificateId());
                ps.setInt(4, s.version());
                return ps.executeUpdate();
            }
        });
    }

    private static State read(ResultSet rs) throws java.sql.SQLException {
        return new State(
                rs.getObject("certificate_id", UUID.class),
                rs.getInt("version"),
                rs.getString("url"),
                rs.getString("status"),
                rs.getBytes("response"),
                Jdbc.instant(rs, "this_update"),
                Jdbc.instant(rs, "next_update"),
                Jdbc.instant(rs, "revoked_at"),
                Jdbc.instant(rs, "fetched_at"),
                Jdbc.instant(rs, "next_fetch_at"),
                rs.getInt("failures"),
                rs.getString("error"));
    }
}
