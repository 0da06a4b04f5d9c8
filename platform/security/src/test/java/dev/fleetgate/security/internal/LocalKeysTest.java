package dev.fleetgate.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeysTest {
    @TempDir
    Path dir;

    @Test
    void generatesAnOwnerOnlyKeyOnceAndReusesIt() throws Exception {
        LocalKeys keys = new LocalKeys(dir.resolve("fleetgate"));
        byte[] first = keys.resolve("", "jwtSecret", 32, 1024, "jwt.key");
        assertEquals(32, first.length);
        Path file = dir.resolve("fleetgate/jwt.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertArrayEquals(
                first, new LocalKeys(dir.resolve("fleetgate")).resolve(null, "jwtSecret", 32, 1024, "jwt.key"));
        try (var files = Files.list(dir.resolve("fleetgate"))) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void configuredKeyWinsAndIsChecked() {
        LocalKeys keys = new LocalKeys(dir);
        byte[] k = new byte[32];
        k[0] = 42;
        assertArrayEquals(k, keys.resolve(Base64.getEncoder().encodeToString(k), "masterKey", 32, 32, "secret.key"));
        assertThrows(
                IllegalArgumentException.class,
                () -> keys.resolve(
                        Base64.getEncoder().encodeToString(new byte[16]), "masterKey", 32, 32, "secret.key"));
        assertThrows(IllegalArgumentException.class, () -> keys.resolve("%%%", "masterKey", 32, 32, "secret.key"));
        assertEquals(0, dir.toFile().list().length, "nothing generated when configured");
    }
}
