package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The working directory of the agent's nginx. Each configuration is written whole into a new generation
 * directory {@code conf.<n>}; the link {@code conf} names the live one and is replaced atomically (a new link
 * renamed over it), so nginx ({@code -c <workDir>/conf/nginx.conf}) only ever reads a complete configuration.
 * The previous generation is kept for rollback, older ones are removed.
 */
public final class ConfigStore {

    static final String LINK = "conf";
    private static final String PREFIX = "conf.";

    private final Path workDir;

    public ConfigStore(Path workDir) {
        this.workDir = workDir;
    }

    public Path workDir() {
        return workDir;
    }

    /**
     * Creates the directories nginx needs (logs, temp paths, ACME tokens). When the agent runs as root, nginx's
     * workers run as an unprivileged user that must reach the temp paths, the 503 socket, error pages and ACME
     * tokens: the working directory and its parents get search permission for others (not read: the agent's
     * state directory becomes {@code rwx--x--x}, its secrets stay {@code rw-------}).
     */
    public void prepare() throws IOException {
        Files.createDirectories(workDir);
        for (String dir : List.of("logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "acme")) {
            Files.createDirectories(workDir.resolve(dir));
        }
        if ("root".equals(System.getProperty("user.name"))) {
            for (Path dir = workDir; dir != null && dir.getParent() != null; dir = dir.getParent()) {
                var perms = Files.getPosixFilePermissions(dir);
                if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(dir, perms);
                }
            }
        }
    }

    /**
     * Creates (or checks) the directory of the admin socket: owned by this process's user, not a symbolic link,
     * mode {@code 0700}, so that only the agent (and root) can connect to the admin server. A directory that
     * another user owns is refused (a planted directory in a shared temp directory).
     */
    public static void prepareAdminDir(Path dir) throws IOException {
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(owner));
        } catch (FileAlreadyExistsException e) {
            // checked below
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("admin socket directory is not a directory: " + dir);
        }
        String me = System.getProperty("user.name");
        String owns = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owns.equals(me)) {
            throw new IOException("admin socket directory " + dir + " belongs to " + owns + ", not " + me);
        }
        Files.setPosixFilePermissions(dir, owner);
    }

    /**
     * Creates a self-signed certificate for TLS listeners ({@code fallback.crt}, {@code fallback.key} 0600 in a 0700
     * directory) unless it exists: nginx wants an {@code ssl_certificate} in every TLS server, but the one a client
     * gets is chosen by SNI in {@code ssl_certificate_by_lua}, which refuses the handshake for unknown names, so
     * this one is never sent. Needs the {@code openssl} command.
     */
    public static void ensureFallbackCertificate(Path dir) throws IOException {
        Path crt = dir.resolve("fallback.crt");
        Path key = dir.resolve("fallback.key");
        if (Files.isRegularFile(crt) && Files.isRegularFile(key)) {
            return;
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path tmpKey = dir.resolve("fallback.key.tmp");
        Path tmpCrt = dir.resolve("fallback.crt.tmp");
        Files.deleteIfExists(tmpKey);
        Files.createFile(tmpKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        NginxProcess.Result r = NginxProcess.run(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-subj",
                "/CN=fleetgate-fallback",
                "-days",
                "36500",
                "-keyout",
                tmpKey.toString(),
                "-out",
                tmpCrt.toString()));
        if (!r.ok()) {
            throw new IOException("openssl could not create the fallback certificate: " + r.output());
        }
        Files.move(tmpKey, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmpCrt, crt, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return the live generation directory, if any */
    public Optional<Path> current() {
        Path link = workDir.resolve(LINK);
        try {
            if (!Files.isSymbolicLink(link)) {
                return Optional.empty();
            }
            Path target = workDir.resolve(Files.readSymbolicLink(link)).normalize();
            return Files.isDirectory(target) ? Optional.of(target) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** @return the files of a generation, by relative path */
    public Map<String, byte[]> read(Path generation) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(generation)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(generation.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    /** @return a new, empty generation directory, numbered after every existing one */
    public Path newGeneration() throws IOException {
        int next = generations().stream().mapToInt(ConfigStore::number).max().orElse(0) + 1;
        while (true) {
            Path dir = workDir.resolve(PREFIX + next);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                next++;
            }
        }
    }

    /** Writes the files of a generation; private keys are readable by their owner only. */
    public void write(Path generation, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path file = generation.resolve(e.getKey()).normalize();
            if (!file.startsWith(generation)) {
                throw new IOException("file outside the generation: " + e.getKey());
            }
            Files.createDirectories(file.getParent());
            if (e.getKey().endsWith(".key")) {
                Files.deleteIfExists(file);
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(file, e.getValue());
        }
    }

    /** Points the {@code conf} link at a generation, atomically. */
    public void activate(Path generation) throws IOException {
        Path link = workDir.resolve(LINK);
        Path tmp = workDir.resolve(LINK + ".next");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, generation.getFileName());
        try {
            Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Removes every generation but the live one and {@code keep}. */
    public void prune(Path keep) {
        Optional<Path> live = current();
        for (Path dir : generations()) {
            if (!dir.equals(keep) && !(live.isPresent() && live.get().equals(dir))) {
                delete(dir);
            }
        }
    }

    /** Removes a generation that never went live. */
    public void discard(Path generation) {
        if (current().map(generation::equals).orElse(false)) {
            return;
        }
        delete(generation);
    }

    public static boolean sameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private List<Path> generations() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(workDir)) {
            list.filter(p -> p.getFileName().toString().matches("conf\\.[0-9]+"))
                    .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static int number(Path generation) {
        return Integer.parseInt(generation.getFileName().toString().substring(PREFIX.length()));
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover directory is harmless; the next prune retries
        }
    }
}
