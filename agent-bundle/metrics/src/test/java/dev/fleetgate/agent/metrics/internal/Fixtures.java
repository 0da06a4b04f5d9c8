package dev.fleetgate.agent.metrics.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Files captured on a real host (src/test/resources/fixtures). */
public final class Fixtures {

    private Fixtures() {}

    public static Path dir(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String read(String name) throws IOException {
        return Files.readString(dir(name));
    }

    /** Copies a fixture tree over {@code target} (replacing files), so a collector sees the next sample. */
    public static void copy(String name, Path target) throws IOException {
        Path from = dir(name);
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(p -> {
                Path to = target.resolve(from.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
