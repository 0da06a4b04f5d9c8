package dev.fleetgate.agents.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;

/** Bundle jars for agents: upload, list, delete, deploy to all or some agents. */
@Component(service = BundleRepository.class)
public final class BundleRepository {
    public static final String SECTION = "bundles";

    /** An uploaded bundle jar; {@code agentIds} null = not deployed, empty = every agent. */
    public record Artifact(
            String id,
            String symbolicName,
            String version,
            String sha256,
            long size,
            Instant uploadedAt,
            String uploadedBy,
            List<String> deployedTo,
            boolean deployedToAll) {
        public boolean deployed() {
            return deployedToAll || !deployedTo.isEmpty();
        }
    }

    /** The result of an upload: the artifact and whether it is new. */
    public record Upload(Artifact artifact, boolean created) {}

    private final DataSource dataSource;
    private final AgentRegistry registry;
    private final DesiredStateEngine desiredState;
    private final BundleSigner signer;

    @Activate
    public BundleRepository(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference AgentRegistry registry,
            @Reference DesiredStateEngine desiredState,
            @Reference BundleSigner signer) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.desiredState = desiredState;
        this.signer = signer;
    }

    /** @return the core's signature of an artifact, as agents verify it before installing (base64 Ed25519) */
    public String signature(Artifact a) {
        return signer.sign(a.symbolicName(), a.sha256());
    }

    /** @return the public half of the bundle-signing key (base64 X.509) */
    public String signingKey() {
        return signer.publicKey();
    }

    /** Stores a jar (idempotent by SHA-256). @throws ApiException 400 not a bundle, 413 too large */
    public Upload upload(InputStream in, String uploadedBy) {
        byte[] jar = readLimited(in, registry.settings().maxBundleBytes());
        JarManifest.Identity identity = JarManifest.read(jar);
        String sha = Secrets.sha256Hex(jar);
        UUID id = UUID.randomUUID();
        boolean created = Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bundle_artifacts (id, symbolic_name, version,"
                    + " sha256, size, content, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (sha256) DO NOTHING")) {
                ps.setObject(1, id);
                ps.setString(2, identity.symbolicName());
                ps.setString(3, identity.version());
                ps.setString(4, sha);
                ps.setLong(5, jar.length);
                ps.setBytes(6, jar);
                Jdbc.setInstant(ps, 7, registry.clock().instant());
                ps.setString(8, uploadedBy);
                return ps.executeUpdate() > 0;
            }
        });
        Artifact a = list().stream()
                .filter(x -> x.sha256().equals(sha))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Uploaded artifact vanished"));
        return new Upload(a, created);
    }

    private static byte[] readLimited(InputStream in, long max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > max) {
                    throw new ApiException(413, "The jar is larger than " + max / (1024 * 1024) + " MB");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (total == 0) {
            throw ApiException.invalid("body", "is empty");
        }
        return out.toByteArray();
    }

    /** Every artifact with its deployments, newest first. */
    public List<Artifact> list() {
        return Jdbc.auto(dataSource, c -> {
            Map<String, Artifact> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.symbolic_name, a.version, a.sha256, a.size,"
                            + " a.uploaded_at, a.uploaded_by, coalesce(array_agg(d.agent_id::text) FILTER (WHERE d.agent_id IS NOT"
                            + " NULL), '{}') AS agents, bool_or(d.artifact_id IS NOT NULL AND d.agent_id IS NULL) AS everyone"
                            + " FROM bundle_artifacts a LEFT JOIN bundle_deployments d ON d.artifact_id = a.id"
                            + " GROUP BY a.id ORDER BY a.uploaded_at DESC, a.symbolic_name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Artifact a = artifact(rs);
                    out.put(a.id(), a);
                }
            }
            return new ArrayList<>(out.values());
        });
    }

    public Optional<Artifact> get(String id) {
        return Ids.canonical(id)
                .flatMap(i -> list().stream().filter(a -> a.id().equals(i)).findFirst());
    }

    /** @throws ApiException 404 unknown, 409 while deployed */
    public void delete(String id) {
        Artifact a = get(id).orElseThrow(() -> ApiException.notFound("Bundle " + id));
        if (a.deployed()) {
            throw ApiException.conflict("Bundle " + id + " is deployed; undeploy it first");
        }
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM bundle_artifacts WHERE id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM bundle_deployments WHERE artifact_id = ?)")) {
                ps.setObject(1, UUID.fromString(a.id()));
                ps.setObject(2, UUID.fromString(a.id()));
                if (ps.executeUpdate() == 0) {
                    throw ApiException.conflict("Bundle " + id + " is deployed; undeploy it first");
                }
                return null;
            }
        });
    }

    /**
     * Deploys to the listed agents, or to every agent when the list is null or empty. Other
     * versions of the same bundle are undeployed from those targets (the deploy is an update).
     */
    public Artifact deploy(String id, List<String> agentIds) {
        Artifact a = get(id).orElseThrow(() -> ApiException.notFound("Bundle " + id));
        List<String> targets = agentIds == null ? List.of() : agentIds;
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            if (!registry.exists(Ids.canonical(targets.get(i)).orElse(""))) {
                errors.add(new FieldError("agentIds[" + i + "]", "no such agent"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        UUID artifact = UUID.fromString(a.id());
        Jdbc.tx(dataSource, c -> {
            if (targets.isEmpty()) {
                exec(
                        c,
                        "DELETE FROM bundle_deployments d USING bundle_artifacts o WHERE d.artifact_id = o.id"
                                + " AND o.symbolic_name = ? AND o.id <> ?",
                        a.symbolicName(),
                        artifact);
                exec(c, "DELETE FROM bundle_deployments WHERE artifact_id = ?", artifact);
                exec(c, "INSERT INTO bundle_deployments (artifact_id, agent_id) VALUES (?, NULL)", artifact);
            } else {
                for (String t : targets) {
                    UUID agent = UUID.fromString(Ids.canonical(t).orElseThrow());
                    exec(
                            c,
                            "DELETE FROM bundle_deployments d USING bundle_artifacts o WHERE d.artifact_id = o.id"
                                    + " AND o.symbolic_name = ? AND o.id <> ? AND d.agent_id = ?",
                            a.symbolicName(),
                            artifact,
                            agent);
                    exec(
                            c,
                            "INSERT INTO bundle_deployments (artifact_id, agent_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            artifact,
                            agent);
                }
            }
            return null;
        });
        desiredState.changed(SECTION);
        return get(id).orElseThrow();
    }

    /** Removes every deployment of the artifact. */
    public void undeploy(String id) {
        Artifact a = get(id).orElseThrow(() -> ApiException.notFound("Bundle " + id));
        Jdbc.auto(dataSource, c -> {
            exec(c, "DELETE FROM bundle_deployments WHERE artifact_id = ?", UUID.fromString(a.id()));
            return null;
        });
        desiredState.changed(SECTION);
    }

    /** The bundles an agent should run, one per symbolic name (the newest upload wins). */
    public List<Artifact> forAgent(String agentId) {
        return Jdbc.auto(dataSource, c -> {
            List<Artifact> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (a.symbolic_name) a.id, a.symbolic_name,"
                    + " a.version, a.sha256, a.size, a.uploaded_at, a.uploaded_by, '{}'::text[] AS agents,"
                    + " false AS everyone FROM bundle_artifacts a JOIN bundle_deployments d ON d.artifact_id = a.id"
                    + " WHERE d.agent_id IS NULL OR d.agent_id = ? ORDER BY a.symbolic_name, a.uploaded_at DESC")) {
                ps.setObject(1, UUID.fromString(agentId));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(artifact(rs));
                    }
                }
            }
            return out;
        });
    }

    /**
     * {@link #forAgent} for many agents with one statement: every deployment is read once and
     * the newest upload per symbolic name picked per agent.
     */
    public Map<String, List<Artifact>> forAgents(List<String> agentIds) {
        List<Artifact> everyone = new ArrayList<>();
        Map<String, List<Artifact>> own = new HashMap<>();
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT d.agent_id::text AS target, a.id, a.symbolic_name,"
                            + " a.version, a.sha256, a.size, a.uploaded_at, a.uploaded_by, '{}'::text[] AS agents,"
                            + " false AS everyone FROM bundle_artifacts a JOIN bundle_deployments d ON d.artifact_id = a.id"
                            + " ORDER BY a.uploaded_at DESC, a.symbolic_name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String target = rs.getString("target");
                    Artifact a = artifact(rs);
                    (target == null ? everyone : own.computeIfAbsent(target, k -> new ArrayList<>())).add(a);
                }
            }
            return null;
        });
        Map<String, List<Artifact>> out = new HashMap<>();
        for (String agentId : agentIds) {
            // newest first in both lists: the first of each symbolic name wins, as DISTINCT ON in forAgent
            Map<String, Artifact> pick = new java.util.TreeMap<>();
            List<Artifact> mine = own.getOrDefault(agentId, List.of());
            List<Artifact> all = new ArrayList<>(everyone.size() + mine.size());
            all.addAll(everyone);
            all.addAll(mine);
            all.sort(java.util.Comparator.comparing(Artifact::uploadedAt).reversed());
            for (Artifact a : all) {
                pick.putIfAbsent(a.symbolicName(), a);
            }
            out.put(agentId, List.copyOf(pick.values()));
        }
        return out;
    }

    /** The jar, when it exists and is deployed to the agent. */
    public Optional<byte[]> content(String agentId, String sha256) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.content FROM bundle_artifacts a WHERE a.sha256 = ?"
                    + " AND EXISTS (SELECT 1 FROM bundle_deployments d WHERE d.artifact_id = a.id"
                    + " AND (d.agent_id IS NULL OR d.agent_id = ?))")) {
                ps.setString(1, sha256);
                ps.setObject(2, UUID.fromString(agentId));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    /** The bundle states the agent last reported, or null. */
    public JsonNode reportedStates(String agentId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT body FROM agent_bundle_status WHERE agent_id = ?")) {
                ps.setObject(1, UUID.fromString(agentId));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? SqlJson.json(rs, "body") : null;
                }
            }
        });
    }

    private static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Artifact artifact(ResultSet rs) throws SQLException {
        String[] agents = (String[]) rs.getArray("agents").getArray();
        return new Artifact(
                rs.getString("id"),
                rs.getString("symbolic_name"),
                rs.getString("version"),
                rs.getString("sha256"),
                rs.getLong("size"),
                Jdbc.instant(rs, "uploaded_at"),
                rs.getString("uploaded_by"),
                List.of(agents),
                rs.getBoolean("everyone"));
    }
}
