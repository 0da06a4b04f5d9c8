package dev.fleetgate.security.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key material: from configuration when given (base64), otherwise generated once and kept in
 * a file readable only by the owner, so that tokens and sealed secrets survive restarts.
 */
public final class LocalKeys {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKeys.class);
    private static final int GENERATED_BYTES = 32;

    private final Path dir;

    public LocalKeys(Path dir) {
        this.dir = dir;
    }

    /** Keys live in {@code ${karaf.data}/fleetgate}; outside Karaf in the bundle's data area. */
    public static LocalKeys forBundle(BundleContext context) {
        String data = context.getProperty("karaf.data");
        if (data != null && !data.isBlank()) {
            return new LocalKeys(Path.of(data, "fleetgate"));
        }
        return new LocalKeys(context.getDataFile("keys").toPath());
    }

    /**
     * @param configured base64 from configuration, or empty
     * @param name       configuration key, for messages
     * @param minBytes   least acceptable length
     * @param maxBytes   greatest acceptable length
     * @param file       file name for the generated fallback
     */
    public byte[] resolve(String configured, String name, int minBytes, int maxBytes, String file) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured.trim(), name, minBytes, maxBytes);
        }
        return loadOrCreate(file, name, minBytes, maxBytes);
    }

    static byte[] decode(String base64, String name, int minBytes, int maxBytes) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not valid base64");
        }
        if (key.length < minBytes || key.length > maxBytes) {
            throw new IllegalArgumentException(
                    name + " must decode to " + (minBytes == maxBytes ? "exactly " + minBytes : "at least " + minBytes)
                            + " bytes, not " + key.length);
        }
        return key;
    }

    private byte[] loadOrCreate(String file, String name, int minBytes, int maxBytes) {
        Path path = dir.resolve(file);
        try {
            if (!Files.exists(path)) {
                create(path, name);
            }
            return decode(
                    Files.readString(path, StandardCharsets.US_ASCII).trim(), path.toString(), minBytes, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + path, e);
        }
    }

    private void create(Path path, String name) throws IOException {
        // Only this user may list or open the key directory (0700), as for the keys (0600).
        Files.createDirectories(
                dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        byte[] key = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(key);
        Path tmp = Files.createTempFile(
                dir,
                file(path),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, path);
            LOG.warn(
                    "No {} configured: generated one in {}. Cores that share a database must share {} "
                            + "through the configuration {}.",
                    name,
                    path,
                    name,
                    SecurityConfig.PID);
        } catch (FileAlreadyExistsException e) {
            // created meanwhile by someone else: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String file(Path path) {
        return path.getFileName().toString();
    }
}
