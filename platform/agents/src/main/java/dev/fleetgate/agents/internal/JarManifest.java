package dev.fleetgate.agents.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import dev.fleetgate.api.ApiException;

/** Reads the OSGi identity of a bundle jar. */
public final class JarManifest {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+(\\.\\d+(\\.[A-Za-z0-9_-]+)?)?)?");

    /** A bundle's symbolic name (without directives) and version. */
    public record Identity(String symbolicName, String version) {}

    private JarManifest() {}

    /** @throws ApiException 400 when the data is not a jar with a bundle manifest */
    public static Identity read(byte[] jar) {
        Manifest mf;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            mf = in.getManifest();
        } catch (IOException | SecurityException e) {
            throw ApiException.invalid("body", "not a jar: " + e.getMessage());
        }
        if (mf == null) {
            throw ApiException.invalid("body", "not a bundle: the jar has no manifest");
        }
        String bsn = mf.getMainAttributes().getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw ApiException.invalid("body", "not a bundle: no Bundle-SymbolicName");
        }
        String name = bsn.split(";", 2)[0].trim();
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid("body", "invalid Bundle-SymbolicName " + name);
        }
        String version = mf.getMainAttributes().getValue("Bundle-Version");
        version = version == null || version.isBlank() ? "0.0.0" : version.trim();
        if (!VERSION.matcher(version).matches()) {
            throw ApiException.invalid("body", "invalid Bundle-Version " + version);
        }
        return new Identity(name, version);
    }
}
