package dev.fleetgate.agent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateStateTest {

    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void set(Path p, String mode) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    @Test
    void closesAStateDirectoryMadeBeforeTheFix() throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"));
        set(state, "rwxr-xr-x");
        Path identity = Files.writeString(state.resolve("agent.json"), "{\"apiKey\":\"k\"}");
        set(identity, "rw-r--r--");
        Path config = state.resolve("felix-cache/bundle7/data/config/dev/fleetgate/x.config");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "secret=1");
        set(config, "rw-r--r--");
        set(state.resolve("felix-cache/bundle7"), "rwxr-xr-x");
        Path nginx = Files.createDirectories(state.resolve("nginx/conf.1"));
        Path page = Files.writeString(nginx.resolve("503.html"), "down");
        set(page, "rw-r--r--");

        PrivateState.tighten(state);

        assertEquals("rwx--x--x", mode(state));
        assertEquals("rw-------", mode(identity));
        assertEquals("rw-------", mode(config));
        assertEquals("rwx------", mode(state.resolve("felix-cache/bundle7")));
        // nginx's workers read its files: the driver owns those modes
        assertEquals("rw-r--r--", mode(page));
    }

    @Test
    void createsTheFelixCacheClosed() throws Exception {
        Path state = Files.createDirectory(tmp.resolve("fresh"));
        PrivateState.tighten(state);
        assertEquals("rwx------", mode(state.resolve("felix-cache")));
    }
}
