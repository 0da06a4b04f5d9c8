package dev.fleetgate.certificates.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
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
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.certificates.CertificateState;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/** Accounts, certificates, orders in progress, http-01 tokens and service TLS settings (plain JDBC); owns the schema. */
@Component(service = CertificateStore.class)
public final class CertificateStore {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, source, service_id, domains, state, version, cert_pem, key_sealed, "
            + "issuer, serial, not_before, not_after, renew_at, ari, error, problem, failures, next_attempt_at, "
            + "created_at, updated_at, served_version, served_error, served_checked_at";

    private final DataSource dataSource;

    @Activate
    public CertificateStore(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context) {
        this(dataSource);
        migrator.migrate("certificates", context.getBundle(), "db/certificates");
    }

    /** For tests: the schema must exist. */
    public CertificateStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    // ---- account ----

    /** The ACME account of a directory. */
    public record Account(
            String directoryUrl, String accountUrl, String keySealed, String email, boolean termsAgreed) {}

    public Optional<Account> account(String directoryUrl) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT directory_url, account_url, key_sealed, email, "
                    + "terms_agreed FROM certificate_account WHERE directory_url = ?")) {
                ps.setString(1, directoryUrl);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Account(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getBoolean(5)))
                            : Optional.empty();
                }
            }
        });
    }

    /** Creates or updates the account row (the key only when none is stored yet). */
    public Account saveAccount(Account a) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO certificate_account (directory_url, account_url, "
                            + "key_sealed, email, terms_agreed) VALUES (?, ?, ?, ?, ?) ON CONFLICT (directory_url) DO UPDATE SET "
                            + "account_url = EXCLUDED.account_url, email = EXCLUDED.email, terms_agreed = EXCLUDED.terms_agreed, "
                            + "updated_at = now()")) {
                ps.setString(1, a.directoryUrl());
                ps.setString(2, a.accountUrl());
                ps.setString(3, a.keySealed());
                ps.setString(4, a.email());
                ps.setBoolean(5, a.termsAgreed());
                return ps.executeUpdate();
            }
        });
        return account(a.directoryUrl()).orElseThrow();
    }

    // ---- certificates ----

    public List<StoredCertificate> list() {
        return query("SELECT " + COLUMNS + " FROM certificate ORDER BY not_after NULLS FIRST, created_at", ps -> {});
    }

    public Optional<StoredCertificate> get(UUID id) {
        return query("SELECT " + COLUMNS + " FROM certificate WHERE id = ?", ps -> ps.setObject(1, id)).stream()
                .findFirst();
    }

    public Optional<StoredCertificate> forService(UUID serviceId) {
        return query("SELECT " + COLUMNS + " FROM certificate WHERE service_id = ?", ps -> ps.setObject(1, serviceId))
                .stream()
                .findFirst();
    }

    /** @return ACME certificates whose next attempt is due, oldest first */
    public List<UUID> due(int limit) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM certificate WHERE source = 'acme' AND "
                    + "next_attempt_at <= now() ORDER BY next_attempt_at LIMIT ?")) {
                ps.setInt(1, limit);
                List<UUID> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getObject(1, UUID.class));
                    }
                }
                return out;
            }
        });
    }

    /** A new ACME certificate, PENDING and due at once. */
    public StoredCertificate createAcme(UUID serviceId, List<String> domains) {
        UUID id = UUID.randomUUID();
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO certificate (id, source, service_id, domains, "
                    + "state, next_attempt_at) VALUES (?, 'acme', ?, ?::jsonb, 'PENDING', now())")) {
                ps.setObject(1, id);
                ps.setObject(2, serviceId);
                ps.setString(3, json(domains));
                return ps.executeUpdate();
            }
        });
        return get(id).orElseThrow();
    }

    /** An uploaded certificate, VALID, never renewed by the module. */
    public StoredCertificate createCustom(
            UUID serviceId,
            List<String> domains,
            String certPem,
            String keySealed,
            String issuer,
            String serial,
            Instant notBefore,
            Instant notAfter) {
        UUID id = UUID.randomUUID();
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO certificate (id, source, service_id, domains, "
                    + "state, version, cert_pem, key_sealed, issuer, serial, not_before, not_after) "
                    + "VALUES (?, 'custom', ?, ?::jsonb, 'VALID', 1, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setObject(2, serviceId);
                ps.setString(3, json(domains));
                ps.setString(4, certPem);
                ps.setString(5, keySealed);
                ps.setString(6, issuer);
                ps.setString(7, serial);
                Jdbc.setInstant(ps, 8, notBefore);
                Jdbc.setInstant(ps, 9, notAfter);
                return ps.executeUpdate();
            }
        });
        return get(id).orElseThrow();
    }

    /** Sets the domains of an ACME certificate (a service's domains changed) and makes it due. */
    public void redomain(UUID id, List<String> domains) {
        update(
                "UPDATE certificate SET domains = ?::jsonb, next_attempt_at = now(), failures = 0, updated_at = now() "
                        + "WHERE id = ?",
                ps -> {
                    ps.setString(1, json(domains));
                    ps.setObject(2, id);
                });
    }

    /** Marks the certificate as being ordered: RENEWING when it has one, else PENDING. */
    public void started(UUID id) {
        update(
                "UPDATE certificate SET state = CASE WHEN cert_pem IS NULL THEN 'PENDING' ELSE 'RENEWING' END, "
                        + "updated_at = now() WHERE id = ?",
                ps -> ps.setObject(1, id));
    }

    /** Makes an ACME certificate due now (renew now, or a new request). */
    public boolean dueNow(UUID id) {
        return update(
                        "UPDATE certificate SET next_attempt_at = now(), failures = 0, updated_at = now() "
                                + "WHERE id = ? AND source = 'acme'",
                        ps -> ps.setObject(1, id))
                == 1;
    }

    /** Stores a newly issued certificate: VALID, version + 1, next attempt at the renewal time. */
    public void issued(
            UUID id,
            String certPem,
            String keySealed,
            String issuer,
            String serial,
            Instant notBefore,
            Instant notAfter,
            Instant renewAt,
            boolean ari) {
        Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE certificate SET state = 'VALID', version = version + 1, "
                            + "cert_pem = ?, key_sealed = ?, issuer = ?, serial = ?, not_before = ?, not_after = ?, renew_at = ?, "
                            + "ari = ?, error = NULL, problem = NULL, failures = 0, next_attempt_at = ?, updated_at = now() "
                            + "WHERE id = ?")) {
                ps.setString(1, certPem);
                ps.setString(2, keySealed);
                ps.setString(3, issuer);
                ps.setString(4, serial);
                Jdbc.setInstant(ps, 5, notBefore);
                Jdbc.setInstant(ps, 6, notAfter);
                Jdbc.setInstant(ps, 7, renewAt);
                ps.setBoolean(8, ari);
                Jdbc.setInstant(ps, 9, renewAt);
                ps.setObject(10, id);
                ps.executeUpdate();
            }
            deleteOrder(c, id);
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM certificate_challenge WHERE certificate_id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Records a failed order: FAILED with the reason, next attempt at {@code retryAt}; an issued certificate stays. */
    public void failed(UUID id, String error, String problemJson, Instant retryAt, boolean dropOrder) {
        Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE certificate SET state = 'FAILED', error = ?, "
                            + "problem = ?::jsonb, failures = failures + 1, next_attempt_at = ?, updated_at = now() WHERE id = ?")) {
                ps.setString(1, error);
                ps.setString(2, problemJson);
                Jdbc.setInstant(ps, 3, retryAt);
                ps.setObject(4, id);
                ps.executeUpdate();
            }
            if (dropOrder) {
                deleteOrder(c, id);
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM certificate_challenge WHERE certificate_id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Postpones the next attempt without counting a failure (rate limited before anything was tried). */
    public void postpone(UUID id, Instant at) {
        update("UPDATE certificate SET next_attempt_at = ?, updated_at = now() WHERE id = ?", ps -> {
            Jdbc.setInstant(ps, 1, at);
            ps.setObject(2, id);
        });
    }

    /** Records a served check: {@code error} null = the agents serve {@code version}. */
    public void servedChecked(UUID id, int version, String error) {
        update(
                "UPDATE certificate SET served_version = CASE WHEN ? IS NULL THEN ? ELSE served_version END, "
                        + "served_error = ?, served_checked_at = now() WHERE id = ? AND version = ?",
                ps -> {
                    ps.setString(1, error);
                    ps.setInt(2, version);
                    ps.setString(3, error);
                    ps.setObject(4, id);
                    ps.setInt(5, version);
                });
    }

    public boolean delete(UUID id) {
        return update("DELETE FROM certificate WHERE id = ?", ps -> ps.setObject(1, id)) == 1;
    }

    // ---- orders ----

    /** An order in progress. */
    public record Order(UUID certificateId, String directoryUrl, String orderUrl, String keySealed) {}

    public Optional<Order> order(UUID certificateId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT directory_url, order_url, key_sealed FROM "
                    + "certificate_order WHERE certificate_id = ?")) {
                ps.setObject(1, certificateId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Order(certificateId, rs.getString(1), rs.getString(2), rs.getString(3)))
                            : Optional.empty();
                }
            }
        });
    }

    public void saveOrder(Order o) {
        update(
                "INSERT INTO certificate_order (certificate_id, directory_url, order_url, key_sealed) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (certificate_id) DO UPDATE SET directory_url = EXCLUDED.directory_url, "
                        + "order_url = EXCLUDED.order_url, key_sealed = EXCLUDED.key_sealed, started_at = now()",
                ps -> {
                    ps.setObject(1, o.certificateId());
                    ps.setString(2, o.directoryUrl());
                    ps.setString(3, o.orderUrl());
                    ps.setString(4, o.keySealed());
                });
    }

    public void dropOrder(UUID certificateId) {
        Jdbc.auto(dataSource, c -> {
            deleteOrder(c, certificateId);
            return null;
        });
    }

    private static void deleteOrder(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM certificate_order WHERE certificate_id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    // ---- http-01 tokens ----

    public void addChallenge(String token, String keyAuthorization, UUID certificateId, String domain) {
        update(
                "INSERT INTO certificate_challenge (token, key_authorization, certificate_id, domain) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (token) DO UPDATE SET key_authorization = EXCLUDED.key_authorization",
                ps -> {
                    ps.setString(1, token);
                    ps.setString(2, keyAuthorization);
                    ps.setObject(3, certificateId);
                    ps.setString(4, domain);
                });
    }

    /** @return token → key authorization, by token */
    public Map<String, String> challenges() {
        return Jdbc.auto(dataSource, c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT token, key_authorization FROM certificate_challenge " + "ORDER BY token");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    // ---- service TLS ----

    /** The TLS settings of a service. */
    public record ServiceTls(UUID serviceId, String mode, UUID certificateId, boolean redirectHttp, Long hstsMaxAge) {}

    public Optional<ServiceTls> serviceTls(UUID serviceId) {
        return allServiceTls().stream()
                .filter(t -> t.serviceId().equals(serviceId))
                .findFirst();
    }

    public List<ServiceTls> allServiceTls() {
        return Jdbc.auto(dataSource, c -> {
            List<ServiceTls> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT service_id, mode, certificate_id, redirect_http, "
                            + "hsts_max_age FROM certificate_service_tls ORDER BY service_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long hsts = rs.getLong(5);
                    out.add(new ServiceTls(
                            rs.getObject(1, UUID.class),
                            rs.getString(2),
                            rs.getObject(3, UUID.class),
                            rs.getBoolean(4),
                            rs.wasNull() ? null : hsts));
                }
            }
            return out;
        });
    }

    public void saveServiceTls(ServiceTls t) {
        update(
                "INSERT INTO certificate_service_tls (service_id, mode, certificate_id, redirect_http, hsts_max_age) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (service_id) DO UPDATE SET mode = EXCLUDED.mode, "
                        + "certificate_id = EXCLUDED.certificate_id, redirect_http = EXCLUDED.redirect_http, "
                        + "hsts_max_age = EXCLUDED.hsts_max_age, updated_at = now()",
                ps -> {
                    ps.setObject(1, t.serviceId());
                    ps.setString(2, t.mode());
                    ps.setObject(3, t.certificateId());
                    ps.setBoolean(4, t.redirectHttp());
                    if (t.hstsMaxAge() == null) {
                        ps.setNull(5, Types.BIGINT);
                    } else {
                        ps.setLong(5, t.hstsMaxAge());
                    }
                });
    }

    public void deleteServiceTls(UUID serviceId) {
        update("DELETE FROM certificate_service_tls WHERE service_id = ?", ps -> ps.setObject(1, serviceId));
    }

    // ---- helpers ----

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    private List<StoredCertificate> query(String sql, Binder binder) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                List<StoredCertificate> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            }
        });
    }

    private static StoredCertificate read(ResultSet rs) throws SQLException {
        List<String> domains;
        try {
            domains = JSON.readValue(rs.getString("domains"), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("bad domains", e);
        }
        return new StoredCertificate(
                rs.getObject("id", UUID.class),
                rs.getString("source"),
                rs.getObject("service_id", UUID.class),
                List.copyOf(domains),
                CertificateState.valueOf(rs.getString("state")),
                rs.getInt("version"),
                rs.getString("cert_pem"),
                rs.getString("key_sealed"),
                rs.getString("issuer"),
                rs.getString("serial"),
                Jdbc.instant(rs, "not_before"),
                Jdbc.instant(rs, "not_after"),
                Jdbc.instant(rs, "renew_at"),
                rs.getBoolean("ari"),
                rs.getString("error"),
                rs.getString("problem"),
                rs.getInt("failures"),
                Jdbc.instant(rs, "next_attempt_at"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"),
                rs.getInt("served_version"),
                rs.getString("served_error"),
                Jdbc.instant(rs, "served_checked_at"));
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
