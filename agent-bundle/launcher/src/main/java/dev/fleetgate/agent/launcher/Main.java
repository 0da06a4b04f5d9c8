package dev.fleetgate.agent.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.launch.Framework;

/**
 * {@code fleetgate-agent}: parses the options, starts Felix with the agent bundles, and stays
 * until the framework stops (SIGTERM/SIGINT stop it within 5 s). Exit status: 2 for invalid
 * options, 1 when the agent cannot start or stops by itself (e.g. enrolment refused).
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.setProperty(
                "java.util.logging.SimpleFormatter.format",
                System.getProperty(
                        "java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n"));
        LauncherArgs options;
        try {
            options = LauncherArgs.parse(args, System.getenv(), Path.of(System.getProperty("user.home")));
        } catch (LauncherArgs.HelpRequested e) {
            System.out.println(LauncherArgs.USAGE);
            System.exit(0);
            return;
        } catch (UsageException e) {
            System.err.println("fleetgate-agent: " + e.getMessage());
            System.err.println(LauncherArgs.USAGE);
            System.exit(2);
            return;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        Framework framework;
        try {
            String version = version();
            framework = new AgentLauncher(options, distribution(), version, System.out).start();
            Framework started = framework;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                stopping.set(true);
                                AgentLauncher.stop(started);
                            },
                            "fleetgate-shutdown"));
        } catch (Throwable e) {
            System.err.println("fleetgate-agent: cannot start: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        try {
            framework.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!stopping.get()) {
            // the framework stopped by itself (a fatal error in the agent): do not stay alive
            System.err.println("fleetgate-agent: stopped");
            System.exit(1);
        }
    }

    /** The distribution directory: the parent of the {@code lib/} folder holding this jar (or {@code fleetgate.agent.home}). */
    static Path distribution() throws IOException, URISyntaxException {
        String home = System.getProperty("fleetgate.agent.home");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath();
        }
        Path jar = Path.of(
                Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dist = jar.getParent() == null ? null : jar.getParent().getParent();
        if (dist == null || !Files.isDirectory(dist.resolve("bundle"))) {
            throw new IOException(
                    "cannot find the distribution's bundle/ folder next to " + jar + " (set -Dfleetgate.agent.home)");
        }
        return dist;
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
