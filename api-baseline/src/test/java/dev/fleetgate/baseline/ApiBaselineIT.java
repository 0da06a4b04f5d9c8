package dev.fleetgate.baseline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;

/**
 * bnd's baselining of every exported API package against the reference under {@code api-baseline/reference/}:
 * fails when a package changed more than its {@code @Version} says (a removed method needs a major bump, an
 * added one a minor bump of a {@code @ProviderType}...), naming the version bnd suggests. The references are the
 * exported packages (classes and manifest) of each bundle as last accepted; {@code -Dbaseline.update=true}
 * rewrites them from the current build (after bumping, see CONTRIBUTING).
 */
class ApiBaselineIT {
    private static final Path JARS = Path.of(System.getProperty("fleetgate.baseline.jars", "target/api-jars"));
    private static final Path REFERENCE = Path.of(System.getProperty("fleetgate.baseline.reference", "reference"));
    private static final boolean UPDATE = Boolean.getBoolean("fleetgate.baseline.update");

    @Test
    void noExportedPackageChangedWithoutItsVersionBump() throws Exception {
        Map<String, Path> current = bundles();
        assertTrue(current.size() >= 10, "API bundles found under " + JARS + ": " + current.keySet());
        if (UPDATE) {
            Files.createDirectories(REFERENCE);
            for (Map.Entry<String, Path> e : current.entrySet()) {
                writeReference(e.getValue(), REFERENCE.resolve(e.getKey() + ".jar"));
            }
            System.out.println("[api-baseline] references rewritten under " + REFERENCE + ": " + current.keySet());
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Path> e : current.entrySet()) {
            Path reference = REFERENCE.resolve(e.getKey() + ".jar");
            if (!Files.exists(reference)) {
                problems.add(e.getKey() + ": no reference " + reference + " (a new API bundle: add it with"
                        + " -Dbaseline.update=true)");
                continue;
            }
            problems.addAll(baseline(e.getKey(), e.getValue(), reference));
        }
        assertTrue(
                problems.isEmpty(),
                "exported API changed without the version bump it needs:\n  " + String.join("\n  ", problems));
    }

    /** The API bundles of the build by symbolic name: those exporting at least one package. */
    private static Map<String, Path> bundles() throws Exception {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(JARS)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (Jar j = new Jar(jar.toFile())) {
                    Manifest m = j.getManifest();
                    String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
                    String exports = m == null ? null : m.getMainAttributes().getValue("Export-Package");
                    if (bsn != null && exports != null && !exports.isBlank()) {
                        out.put(bsn.split(";")[0].trim(), jar);
                    }
                }
            }
        }
        return out;
    }

    private static List<String> baseline(String bsn, Path newer, Path older) throws Exception {
        List<String> problems = new ArrayList<>();
        try (Processor reporter = new Processor();
                Jar n = new Jar(newer.toFile());
                Jar o = new Jar(older.toFile())) {
            for (Baseline.Info info : new Baseline(reporter, new DiffPluginImpl()).baseline(n, o, null)) {
                if (info.mismatch) {
                    problems.add(bsn + " " + info.packageName + ": " + info.packageDiff.getDelta() + " change, version "
                            + info.newerVersion + " (reference " + info.olderVersion + "), needs "
                            + info.suggestedVersion + (info.reason == null ? "" : " — " + info.reason));
                }
            }
            problems.addAll(
                    reporter.getErrors().stream().map(err -> bsn + ": " + err).toList());
        }
        return problems;
    }

    /** The manifest and the exported packages' entries of {@code bundle}: what baselining compares. */
    private static void writeReference(Path bundle, Path reference) throws Exception {
        try (Jar in = new Jar(bundle.toFile());
                Jar out = new Jar(reference.getFileName().toString())) {
            Manifest m = in.getManifest();
            Parameters exports = new Parameters(m.getMainAttributes().getValue("Export-Package"));
            out.setManifest(m);
            for (Map.Entry<String, aQute.bnd.osgi.Resource> r :
                    in.getResources().entrySet()) {
                String path = r.getKey();
                int slash = path.lastIndexOf('/');
                String pkg = slash < 0 ? "" : path.substring(0, slash).replace('/', '.');
                if (exports.containsKey(pkg)) {
                    out.putResource(path, r.getValue());
                }
            }
            File tmp =
                    reference.resolveSibling(reference.getFileName() + ".tmp").toFile();
            out.write(tmp);
            Files.move(tmp.toPath(), reference, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
