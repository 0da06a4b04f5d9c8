package dev.fleetgate.agent.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/** Starts Felix with the distribution's bundles ({@code <dist>/bundle/*.jar}) and the agent's settings. */
final class AgentLauncher {

    /** Bundles from the distribution have this location prefix; deployed ones have {@code fleetgate:}. */
    static final String DIST_LOCATION = "dist:";

    private static final String CONTEXT_FILTER = "(objectClass=dev.fleetgate.agent.AgentContext)";
    private static final long STOP_TIMEOUT_MS = 4_500;

    private final LauncherArgs options;
    private final Path distribution;
    private final String version;
    private final PrintStream out;

    AgentLauncher(LauncherArgs options, Path distribution, String version, PrintStream out) {
        this.options = options;
        this.distribution = distribution;
        this.version = version;
        this.out = out;
    }

    /** Framework properties: storage in the state dir, and the agent's settings. */
    Map<String, String> properties() {
        Map<String, String> props = new HashMap<>();
        props.put(
                Constants.FRAMEWORK_STORAGE,
                options.stateDir().resolve("felix-cache").toString());
        props.put("felix.log.level", "1");
        props.put("fleetgate.agent.core", options.core());
        props.put("fleetgate.agent.stateDir", options.stateDir().toString());
        props.put("fleetgate.agent.role", options.role());
        props.put("fleetgate.agent.version", version);
        // Bundle configuration: <dist>/etc/<pid>.cfg, values may use ${env:NAME:-default}; never written back.
        props.put("felix.fileinstall.dir", distribution.resolve("etc").toString());
        props.put("felix.fileinstall.filter", ".*\\.cfg");
        props.put("felix.fileinstall.poll", "2000");
        props.put("felix.fileinstall.noInitialDelay", "true");
        props.put("felix.fileinstall.enableConfigSave", "false");
        props.put("felix.fileinstall.log.level", "2");
        if (options.token() != null) {
            props.put("fleetgate.agent.token", options.token());
        }
        if (options.name() != null) {
            props.put("fleetgate.agent.name", options.name());
        }
        if (options.address() != null) {
            props.put("fleetgate.agent.address", options.address());
        }
        if (options.coreFingerprint() != null) {
            props.put("fleetgate.agent.coreFingerprint", options.coreFingerprint());
        }
        return props;
    }

    Framework start() throws Exception {
        if (!Files.isDirectory(options.stateDir())) {
            Files.createDirectories(options.stateDir().getParent());
            Files.createDirectory(
                    options.stateDir(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        PrivateState.tighten(options.stateDir());
        List<Path> jars = bundleJars(distribution.resolve("bundle"));
        if (jars.isEmpty()) {
            throw new IOException("no bundles in " + distribution.resolve("bundle"));
        }
        Framework framework = new FrameworkFactory().newFramework(properties());
        framework.init();
        try {
            BundleContext context = framework.getBundleContext();
            announceWhenEnrolled(context);
            List<Bundle> bundles =
                    installDistribution(context, jars, options.stateDir().resolve("dist-bundles.properties"));
            framework.start();
            // Configuration first: every bundle then activates with its etc/<pid>.cfg, never with
            // defaults it would drop a moment later (the nginx driver would start on port 80).
            List<Bundle> configuration = bundles.stream()
                    .filter(b -> CONFIGURATION_BUNDLES.contains(b.getSymbolicName()))
                    .toList();
            for (Bundle bundle : configuration) {
                bundle.start();
            }
            awaitConfigurations(context, configFiles(distribution.resolve("etc")), CONFIGURATION_WAIT_MS);
            for (Bundle bundle : bundles) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null && !configuration.contains(bundle)) {
                    bundle.start();
                }
            }
            return framework;
        } catch (Exception | Error e) {
            stop(framework);
            throw e;
        }
    }

    /** Config Admin and FileInstall, started before every other bundle. */
    static final java.util.Set<String> CONFIGURATION_BUNDLES =
            java.util.Set.of("org.apache.felix.configadmin", "org.apache.felix.fileinstall");

    static final long CONFIGURATION_WAIT_MS = 10_000;

    /** @return how many {@code *.cfg} files FileInstall will hand to Config Admin */
    static int configFiles(Path etc) throws IOException {
        if (!Files.isDirectory(etc)) {
            return 0;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(etc, "*.cfg")) {
            int n = 0;
            for (Path ignored : stream) {
                n++;
            }
            return n;
        }
    }

    /**
     * Waits until Config Admin holds a configuration from FileInstall for each of {@code files}, or the timeout
     * passes (then the bundles start with what there is). Config Admin's API is in its bundle, not on the
     * launcher's class path: it is called through the service's own class loader.
     */
    static void awaitConfigurations(BundleContext context, int files, long timeoutMillis) {
        if (files == 0) {
            return;
        }
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            try {
                ServiceReference<?> ref = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
                if (ref != null) {
                    Object admin = context.getService(ref);
                    try {
                        Class<?> api = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
                        Object[] found = (Object[]) api.getMethod("listConfigurations", String.class)
                                .invoke(admin, "(felix.fileinstall.filename=*)");
                        if (found != null && found.length >= files) {
                            return;
                        }
                    } finally {
                        context.ungetService(ref);
                    }
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return; // no usable Config Admin: start as before
            }
        }
    }

    /** Stops the framework, waiting at most ~4.5 s. */
    static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT_MS);
        } catch (BundleException e) {
            System.err.println("fleetgate-agent: stopping the framework: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<Path> bundleJars(Path dir) throws IOException {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jar")) {
                stream.forEach(jars::add);
            }
        }
        jars.sort(null);
        return jars;
    }

    /**
     * Installs each jar (location {@code dist:<file name>}), updates those whose size or time
     * content changed since the last start (an upgrade; their SHA-256 is recorded in {@code stamps}), and uninstalls
     * distribution bundles whose jar is gone. Bundles deployed from the core ({@code fleetgate:})
     * are left to the agent.
     */
    private static List<Bundle> installDistribution(BundleContext context, List<Path> jars, Path stamps)
            throws IOException, BundleException {
        Properties previous = new Properties();
        if (Files.isRegularFile(stamps)) {
            try (var in = Files.newInputStream(stamps)) {
                previous.load(in);
            }
        }
        Properties current = new Properties();
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            String location = DIST_LOCATION + jar.getFileName();
            String stamp = sha256(jar);
            current.setProperty(location, stamp);
            Bundle bundle = context.getBundle(location);
            if (bundle == null) {
                try (var in = Files.newInputStream(jar)) {
                    bundle = context.installBundle(location, in);
                }
            } else if (!stamp.equals(previous.getProperty(location))) {
                try (var in = Files.newInputStream(jar)) {
                    bundle.update(in);
                }
            }
            bundles.add(bundle);
        }
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getLocation().startsWith(DIST_LOCATION) && !current.containsKey(bundle.getLocation())) {
                bundle.uninstall();
            }
        }
        if (!Files.exists(stamps)) {
            Files.createFile(
                    stamps, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (var out = Files.newOutputStream(stamps)) {
            current.store(out, "distribution bundles installed in the Felix cache (SHA-256)");
        }
        return bundles;
    }

    private static String sha256(Path jar) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = new DigestInputStream(Files.newInputStream(jar), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints "fleetgate-agent VERSION started (agent ID)" once, when the agent has its identity. */
    private void announceWhenEnrolled(BundleContext context) throws InvalidSyntaxException {
        AtomicBoolean printed = new AtomicBoolean();
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED && printed.compareAndSet(false, true)) {
                announce(event.getServiceReference());
            }
        };
        context.addServiceListener(listener, CONTEXT_FILTER);
    }

    private void announce(ServiceReference<?> reference) {
        out.println(
                "fleetgate-agent " + version + " started (agent " + reference.getProperty("fleetgate.agent.id") + ")");
        out.flush();
    }
}
