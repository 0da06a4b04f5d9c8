package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The last spec applied, kept so that a restarted agent serves (and health-checks) it before the core answers. */
final class StateFile {

    record Saved(long revision, JsonNode spec) {}

    private final Path file;

    StateFile(Path file) {
        this.file = file;
    }

    Saved read() {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            JsonNode node = Spec.JSON.readTree(file.toFile());
            return new Saved(node.path("revision").asLong(), node.path("spec"));
        } catch (IOException e) {
            return null;
        }
    }

    void write(long revision, JsonNode spec) throws IOException {
        ObjectNode node = Spec.JSON.createObjectNode();
        node.put("revision", revision);
        node.set("spec", spec == null ? Spec.JSON.createObjectNode() : spec);
        // the spec may hold private keys
        writePrivate(file, Spec.JSON.writeValueAsBytes(node));
    }

    /** Replaces a file atomically with one readable by its owner only (0600): it may hold private keys. */
    static void writePrivate(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(
                tmp,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void writePrivate(Path file, String content) throws IOException {
        writePrivate(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
