package dev.fleetgate.agents.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;

/** Single-use enrolment tokens and the enrolment of agents with them. */
@Component(service = Enrolment.class)
public final class Enrolment {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    public static final int DEFAULT_TTL_MINUTES = 60;
    public static final int MAX_TTL_MINUTES = 7 * 24 * 60;

    /**
     * A token as given to the admin, once, with what the agent needs to trust the core.
     *
     * @param coreFingerprint the SHA-256 of the core's HTTPS certificate ({@code sha256:<hex>}), or null without HTTPS
     * @param httpsPort       the core's HTTPS port
     * @param publicKeyPin    curl's pin of the certificate's public key ({@code sha256//<base64>}), or null without HTTPS
     */
    public record Token(String token, Instant expiresAt, String coreFingerprint, int httpsPort, String publicKeyPin) {

        /** @return a ready-to-paste command line for an agent reaching the core as {@code host} */
        public String command(String host) {
            // without HTTPS only an agent on the core's machine may connect (plain http on loopback)
            return coreFingerprint == null
                    ? "fleetgate-agent --core http://127.0.0.1:<http port> --token " + token
                    : "fleetgate-agent --core " + coreUrl(host) + " --token " + token + " --core-fingerprint "
                            + coreFingerprint;
        }

        /** @return the one-line install command (download, enrol, start) for a host reaching the core as {@code host}; null without HTTPS */
        public String installCommand(String host) {
            return coreFingerprint == null || publicKeyPin == null
                    ? null
                    : InstallScript.command(coreUrl(host), publicKeyPin, token);
        }

        /** @return {@code https://host:httpsPort} ({@code CORE-HOST} when the host is unknown) */
        public String coreUrl(String host) {
            String h = host == null || host.isBlank()
                    ? "CORE-HOST"
                    : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            return "https://" + h + ":" + httpsPort;
        }
    }

    /** What an agent receives when it enrols: its identity and the key that signs its bundles. */
    public record Enrolled(String agentId, String apiKey, String bundleSigningKey) {}

    /**
     * A token not used and not expired, as listed to admins (never the token itself).
     *
     * @param id the first 16 hex digits of the token's SHA-256: enough to name it, useless to enrol
     */
    public record OpenToken(String id, String name, String createdBy, Instant createdAt, Instant expiresAt) {}

    /** The id of an open token: 16 lower-case hex digits. */
    public static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{16}");

    /** The agent's enrolment request. */
    public record Request(String token, String name, String hostname, String role, String version) {}

    private final DataSource dataSource;
    private final AgentRegistry registry;
    private final DesiredStateEngine desiredState;
    private final BundleSigner signer;
    private final CoreCertificate certificate;

    @Activate
    public Enrolment(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference AgentRegistry registry,
            @Reference DesiredStateEngine desiredState,
            @Reference BundleSigner signer,
            @Reference CoreCertificate certificate) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.desiredState = desiredState;
        this.signer = signer;
        this.certificate = certificate;
    }

    /**
     * @param name       the name proposed for the agent (used when the agent gives none), or null
     * @param ttlMinutes minutes until the token expires, null for the default
     */
    public Token createToken(String name, Integer ttlMinutes, String createdBy) {
        List<FieldError> errors = new ArrayList<>();
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must match " + NAME.pattern()));
        }
        int ttl = ttlMinutes == null ? DEFAULT_TTL_MINUTES : ttlMinutes;
        if (ttl < 1 || ttl > MAX_TTL_MINUTES) {
            errors.add(new FieldError("ttlMinutes", "must be between 1 and " + MAX_TTL_MINUTES));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String token = Secrets.newEnrollmentToken();
        Instant expiresAt =
                registry.clock().instant().plus(Duration.ofMinutes(ttl)).truncatedTo(ChronoUnit.SECONDS);
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO enrollment_tokens (token_hash, name, created_by, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, Secrets.sha256Hex(token));
                ps.setString(2, name);
                ps.setString(3, createdBy);
                Jdbc.setInstant(ps, 4, expiresAt);
                return ps.executeUpdate();
            }
        });
        return new Token(
                token,
                expiresAt,
                certificate.fingerprint().orElse(null),
                certificate.httpsPort(),
                certificate.publicKeyPin().orElse(null));
    }

    /** @return the tokens neither used nor expired, newest first */
    public List<OpenToken> openTokens() {
        Instant now = registry.clock().instant();
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT left(token_hash, 16) AS id, name, created_by, created_at, expires_at FROM enrollment_tokens"
                            + " WHERE used_at IS NULL AND expires_at > ? ORDER BY created_at DESC, token_hash")) {
                Jdbc.setInstant(ps, 1, now);
                List<OpenToken> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OpenToken(
                                rs.getString("id"),
                                rs.getString("name"),
                                rs.getString("created_by"),
                                Jdbc.instant(rs, "created_at"),
                                Jdbc.instant(rs, "expires_at")));
                    }
                }
                return out;
            }
        });
    }

    /** What an enrolment token may look like: base64url, as {@link Secrets#newEnrollmentToken()} makes them. */
    public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,200}");

    /**
     * Looks a token up without using it (for the agent download and the install script, which the
     * new host fetches with the token before it enrols).
     *
     * @param token a token of the form {@link #TOKEN}
     * @return the open token (not used, not expired, not revoked), or empty
     */
    public Optional<OpenToken> open(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        Instant now = registry.clock().instant();
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT left(token_hash, 16) AS id, name, created_by, created_at, expires_at FROM enrollment_tokens"
                            + " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")) {
                ps.setString(1, Secrets.sha256Hex(token));
                Jdbc.setInstant(ps, 2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new OpenToken(
                                    rs.getString("id"),
                                    rs.getString("name"),
                                    rs.getString("created_by"),
                                    Jdbc.instant(rs, "created_at"),
                                    Jdbc.instant(rs, "expires_at")))
                            : Optional.<OpenToken>empty();
                }
            }
        });
    }

    /**
     * Revokes an open token: it can no longer enrol an agent.
     *
     * @throws ApiException 400 for an id that is not 16 hex digits, 404 when no open token has it
     */
    public void revoke(String id) {
        if (id == null || !TOKEN_ID.matcher(id).matches()) {
            throw ApiException.invalid("id", "must be 16 lower-case hex digits");
        }
        int deleted = Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM enrollment_tokens WHERE left(token_hash, 16) = ? AND used_at IS NULL")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
        if (deleted == 0) {
            throw ApiException.notFound("Open enrolment token " + id);
        }
    }

    /**
     * Enrols an agent: the token is marked used in the same transaction that creates the agent.
     *
     * @throws ApiException 400 for invalid fields, 401 for an unknown, used or expired token,
     *                      409 when the name is taken
     */
    public Enrolled enroll(Request r) {
        validate(r);
        String signingKey = signer.publicKey();
        String apiKey = Secrets.newApiKey();
        String agentId = UUID.randomUUID().toString();
        AgentInfo.Role role = r.role() == null
                ? AgentInfo.Role.HOST
                : AgentInfo.Role.parse(r.role()).orElseThrow();
        Instant now = registry.clock().instant();
        Jdbc.tx(dataSource, c -> {
            String tokenName;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE enrollment_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"
                            + " RETURNING name")) {
                Jdbc.setInstant(ps, 1, now);
                ps.setString(2, Secrets.sha256Hex(r.token()));
                Jdbc.setInstant(ps, 3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new ApiException(401, "Unknown, used or expired enrolment token");
                    }
                    tokenName = rs.getString(1);
                }
            }
            String name = r.name() != null ? r.name() : tokenName != null ? tokenName : r.hostname();
            if (!NAME.matcher(name).matches()) {
                throw ApiException.invalid("name", "must match " + NAME.pattern() + " (it defaults to the hostname)");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO agents (id, name, hostname, role, api_key_hash, version, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setObject(1, UUID.fromString(agentId));
                ps.setString(2, name);
                ps.setString(3, r.hostname());
                ps.setString(4, role.value());
                ps.setString(5, Secrets.sha256Hex(apiKey));
                ps.setString(6, r.version());
                Jdbc.setInstant(ps, 7, now);
                if (ps.executeUpdate() == 0) {
                    throw ApiException.conflict("An agent named " + name + " exists");
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE enrollment_tokens SET agent_id = ? WHERE token_hash = ?")) {
                ps.setObject(1, UUID.fromString(agentId));
                ps.setString(2, Secrets.sha256Hex(r.token()));
                ps.executeUpdate();
            }
            SqlJson.notify(c, agentId);
            return null;
        });
        registry.reload(agentId);
        desiredState.agentAdded(agentId);
        return new Enrolled(agentId, apiKey, signingKey);
    }

    private static void validate(Request r) {
        List<FieldError> errors = new ArrayList<>();
        if (r.token() == null || r.token().isBlank() || r.token().length() > 200) {
            errors.add(new FieldError("token", "is required"));
        }
        if (r.hostname() == null || r.hostname().isBlank() || r.hostname().length() > 253) {
            errors.add(new FieldError("hostname", "is required (at most 253 characters)"));
        }
        if (r.name() != null && !NAME.matcher(r.name()).matches()) {
            errors.add(new FieldError("name", "must match " + NAME.pattern()));
        }
        if (r.role() != null && AgentInfo.Role.parse(r.role()).isEmpty()) {
            errors.add(new FieldError("role", "must be host or edge"));
        }
        if (r.version() != null && r.version().length() > 64) {
            errors.add(new FieldError("version", "at most 64 characters"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }
}
