package dev.fleetgate.agent.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads and writes small JSON files atomically, readable by the owner only. */
public final class JsonFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private JsonFiles() {}

    /** Writes {@code value} as JSON to {@code file} with mode 0600 (write to a temp file, then rename). */
    public static void write(ObjectMapper mapper, Path file, Object value) throws IOException {
        createPrivateDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix(file.getParent())) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(tmp);
        }
        Files.write(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (posix(file.getParent())) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    /** Reads {@code file} as {@code type}, or returns {@code null} when it does not exist. */
    public static <T> T read(ObjectMapper mapper, Path file, Class<T> type) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return mapper.readValue(file.toFile(), type);
    }

    /** Creates a directory (and its parents) with mode 0700 for those it creates. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createPrivateDirectories(dir.toAbsolutePath().getParent());
        try {
            if (posix(dir.toAbsolutePath().getParent())) {
                FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_DIR);
                Files.createDirectory(dir, attr);
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // created concurrently: fine
        }
    }

    private static boolean posix(Path dir) {
        return dir != null && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
