package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class AcmeTokenApplierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T1 = "Kl_o-uzKSPjH5hEQItiBSDnhF_lx-Mt_P8yHZoC7Ht0";
    private static final String T2 = "abcdefghijklmnopqrstuvwxyz012345";
    private static final String THUMB = "9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    @Test
    void writesEveryTokenAndRemovesThoseNoLongerSent(@TempDir Path work) throws Exception {
        Path dir = work.resolve("acme");
        AcmeTokenApplier a = new AcmeTokenApplier(dir);
        a.apply(
                1,
                JSON.readTree("{\"tokens\":{\"" + T1 + "\":\"" + T1 + "." + THUMB + "\",\"" + T2 + "\":\"" + T2 + "."
                        + THUMB + "\"}}"));
        assertEquals(T1 + "." + THUMB, Files.readString(dir.resolve(T1)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(T1))));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(2, a.status().get("tokens").asInt());

        a.apply(2, JSON.readTree("{\"tokens\":{\"" + T2 + "\":\"" + T2 + "." + THUMB + "\"}}"));
        assertFalse(Files.exists(dir.resolve(T1)));
        assertTrue(Files.exists(dir.resolve(T2)));
        a.apply(3, JSON.readTree("{\"tokens\":{}}"));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void refusesPathsAndForeignKeyAuthorizationsAndKeepsTheLastGoodState(@TempDir Path work) throws Exception {
        Path dir = work.resolve("acme");
        AcmeTokenApplier a = new AcmeTokenApplier(dir);
        a.apply(1, JSON.readTree("{\"tokens\":{\"" + T1 + "\":\"" + T1 + "." + THUMB + "\"}}"));
        for (String bad : new String[] {
            "{\"tokens\":{\"../../etc/passwd-aaaaaaaaaaaa\":\"x.y\"}}",
            "{\"tokens\":{\"" + T2 + "\":\"" + T1 + "." + THUMB + "\"}}",
            "{\"tokens\":{\"" + T2 + "\":\"" + T2 + ".a b\"}}",
            "{\"tokens\":[]}"
        }) {
            assertThrows(IllegalArgumentException.class, () -> a.apply(2, JSON.readTree(bad)), bad);
        }
        assertTrue(Files.exists(dir.resolve(T1)));
    }
}
