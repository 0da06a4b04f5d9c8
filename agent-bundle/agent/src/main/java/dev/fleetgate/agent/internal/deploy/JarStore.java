package dev.fleetgate.agent.internal.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Supplier;

import dev.fleetgate.agent.internal.JsonFiles;

/**
 * The downloaded jars, {@code <stateDir>/bundles/<sha256>.jar}: each bundle's signature is verified
 * with the core's bundle-signing key before anything is downloaded, and the jar against its SHA-256.
 */
public final class JarStore {

    /** Opens a download (relative URL → body). */
    @FunctionalInterface
    public interface Downloader {
        InputStream open(String relativeUrl) throws IOException;
    }

    private static final Logger LOG = System.getLogger(JarStore.class.getName());

    private final Path dir;
    private final Downloader downloader;
    private final Supplier<PublicKey> signingKey;

    /**
     * @param signingKey the core's bundle-signing key, or {@code null} from the supplier when the agent has none
     *                   (then every bundle is refused)
     */
    public JarStore(Path dir, Downloader downloader, Supplier<PublicKey> signingKey) {
        this.dir = dir;
        this.downloader = downloader;
        this.signingKey = signingKey;
    }

    /**
     * @return the verified jar of the bundle, downloaded unless already here
     * @throws IOException on a download error, when the signature is missing or invalid, or when the SHA-256
     *                     (or size) does not match: then nothing is kept
     */
    public Path fetch(DesiredBundle bundle) throws IOException {
        try {
            BundleSignature.verify(signingKey.get(), bundle);
        } catch (SecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
        Path jar = dir.resolve(bundle.sha256() + ".jar");
        if (Files.isRegularFile(jar)) {
            if (sha256(jar).equals(bundle.sha256())) {
                return jar;
            }
            LOG.log(Level.WARNING, "{0} is corrupt: downloading it again", jar);
            Files.delete(jar);
        }
        JsonFiles.createPrivateDirectories(dir);
        Path tmp = Files.createTempFile(dir, bundle.sha256(), ".part");
        try {
            MessageDigest digest = newDigest();
            long size;
            try (InputStream in = new DigestInputStream(downloader.open(bundle.url()), digest);
                    OutputStream out = Files.newOutputStream(tmp)) {
                size = in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(bundle.sha256())) {
                throw new IOException("SHA-256 mismatch for " + bundle.symbolicName() + ": expected " + bundle.sha256()
                        + ", got " + actual + "; not installed");
            }
            if (bundle.size() >= 0 && size != bundle.size()) {
                throw new IOException("size mismatch for " + bundle.symbolicName() + ": expected " + bundle.size()
                        + " bytes, got " + size + "; not installed");
            }
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(
                    Level.INFO,
                    "downloaded {0} {1} ({2} bytes, SHA-256 verified)",
                    bundle.symbolicName(),
                    bundle.version(),
                    size);
            return jar;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes the jars whose SHA-256 is not in {@code keep}. */
    public void retainOnly(Set<String> keep) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                if (!keep.contains(name.substring(0, name.length() - 4))) {
                    Files.deleteIfExists(jar);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot clean " + dir, e);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
