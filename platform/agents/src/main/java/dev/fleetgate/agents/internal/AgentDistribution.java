package dev.fleetgate.agents.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent distribution the core hands to new hosts: the {@code fleetgate-agent} tarball built by
 * {@code features/agent}, shipped inside the core distribution as {@code agent/fleetgate-agent.tar.gz}
 * (so a core always serves the agent of its own build). {@code FLEETGATE_AGENT_DIST} (environment)
 * names another file. Its size and SHA-256 are computed once per file version (size and time).
 */
@Component(service = AgentDistribution.class)
public final class AgentDistribution {
    private static final Logger LOG = LoggerFactory.getLogger(AgentDistribution.class);
    public static final String FILE_NAME = "fleetgate-agent.tar.gz";

    /** The distribution as served: its file, size, SHA-256 (64 lower-case hex digits) and modification time. */
    public record Info(Path file, long size, String sha256, Instant modified) {}

    private final Supplier<Path> location;
    private Info cached;

    public AgentDistribution() {
        this(AgentDistribution::defaultLocation);
    }

    AgentDistribution(Supplier<Path> location) {
        this.location = location;
    }

    /** For tests: the distribution is {@code file}. */
    public static AgentDistribution at(Path file) {
        return new AgentDistribution(() -> file);
    }

    private static Path defaultLocation() {
        String env = System.getenv("FLEETGATE_AGENT_DIST");
        if (env != null && !env.isBlank()) {
            return Path.of(env.trim());
        }
        String home = System.getProperty("karaf.home");
        return home == null ? null : Path.of(home, "agent", FILE_NAME);
    }

    /** @return the distribution, or empty when this core has none (built without it, or the file is missing) */
    public synchronized Optional<Info> info() {
        Path file = location.get();
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Instant modified = a.lastModifiedTime().toInstant();
            if (cached != null
                    && cached.file().equals(file)
                    && cached.size() == a.size()
                    && cached.modified().equals(modified)) {
                return Optional.of(cached);
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = 0;
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                byte[] buffer = new byte[64 << 10];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    size += n;
                }
            }
            cached = new Info(file, size, HexFormat.of().formatHex(sha.digest()), modified);
            return Optional.of(cached);
        } catch (IOException e) {
            LOG.warn("cannot read the agent distribution {}: {}", file, e.toString());
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
