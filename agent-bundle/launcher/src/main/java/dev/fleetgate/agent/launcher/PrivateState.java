package dev.fleetgate.agent.launcher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Closes the agent's state to other users (docs/security.md, "Secrets on disk"): the state
 * directory loses read/write for group and others, its identity file is 0600, and the Felix
 * cache (copies of every configuration and bundle) is the owner's only. Fixes installations made
 * before this rule. The nginx driver may add search permission ({@code --x}) for others on the
 * state directory afterwards: its unprivileged workers must traverse it to reach nginx's folder.
 */
final class PrivateState {

    private static final Set<PosixFilePermission> GROUP_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private PrivateState() {}

    static void tighten(Path stateDir) throws IOException {
        if (!Files.isDirectory(stateDir) || !posix(stateDir)) {
            return;
        }
        Set<PosixFilePermission> dir = Files.getPosixFilePermissions(stateDir);
        dir.removeAll(EnumSet.of(
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_WRITE));
        Files.setPosixFilePermissions(stateDir, dir);
        for (String secret : new String[] {"agent.json", "core.json", "bundles.json", "dist-bundles.properties"}) {
            Path file = stateDir.resolve(secret);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                closeToOthers(file);
            }
        }
        Path cache = stateDir.resolve("felix-cache");
        if (!Files.exists(cache, LinkOption.NOFOLLOW_LINKS)) {
            // Felix creates what it stores inside with the JVM's umask: the folder itself stays closed
            Files.createDirectory(
                    cache,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        }
        for (String tree : new String[] {"felix-cache", "bundles"}) {
            Path root = stateDir.resolve(tree);
            if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                        closeToOthers(d);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                        if (attrs.isRegularFile()) {
                            closeToOthers(f);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        }
    }

    private static void closeToOthers(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (perms.removeAll(GROUP_OTHERS)) {
            Files.setPosixFilePermissions(p, perms);
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
