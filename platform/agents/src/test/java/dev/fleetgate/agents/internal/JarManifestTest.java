package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;

class JarManifestTest {

    static byte[] jar(String bsn, String version) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            mf.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        if (version != null) {
            mf.getMainAttributes().putValue("Bundle-Version", version);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        return out.toByteArray();
    }

    @Test
    void readsNameWithoutDirectivesAndVersion() throws IOException {
        assertEquals(
                new JarManifest.Identity("dev.fleetgate.agent.probe", "0.1.0.SNAPSHOT"),
                JarManifest.read(jar("dev.fleetgate.agent.probe;singleton:=true", "0.1.0.SNAPSHOT")));
    }

    @Test
    void rejectsPlainJarsAndGarbage() throws IOException {
        byte[] plain = jar(null, null);
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> JarManifest.read(plain)).status());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> JarManifest.read("hello".getBytes()))
                        .status());
    }
}
