package dev.fleetgate.agent.metrics.internal.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Containers for tests through the docker CLI: a busybox image built locally (no registry
 * here), every container labelled {@code fleetgate.test=metrics} and removed by {@link #removeAll()}.
 */
public final class TestContainers {

    public static final String IMAGE = "fleetgate-metrics-test/busybox:latest";
    public static final String LABEL = "fleetgate.test=metrics";

    private TestContainers() {}

    public static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("docker " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Builds the image from the host's busybox-static unless it exists. */
    public static void ensureImage() throws IOException, InterruptedException {
        if (!docker("images", "-q", IMAGE).isEmpty()) {
            return;
        }
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new IOException("busybox-static is needed to build " + IMAGE + " (apt-get install busybox-static)");
        }
        Path dir = Files.createTempDirectory("fg-busybox");
        Files.copy(busybox, dir.resolve("busybox"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\n" + "RUN [\"/bin/busybox\",\"--install\",\"-s\",\"/bin\"]\n");
        docker("build", "-q", "--label", LABEL, "-t", IMAGE, dir.toString());
    }

    /** Runs a container with host networking and init; returns its id. */
    public static String run(String name, String serviceId, String script) throws IOException, InterruptedException {
        List<String> args =
                new ArrayList<>(List.of("run", "-d", "--init", "--network", "host", "--label", LABEL, "--name", name));
        if (serviceId != null) {
            args.addAll(List.of("--label", "fleetgate.service=" + serviceId));
        }
        args.addAll(List.of(IMAGE, "sh", "-c", script));
        return docker(args.toArray(String[]::new));
    }

    public static void removeAll() throws IOException, InterruptedException {
        String ids = docker("ps", "-aq", "--filter", "label=" + LABEL);
        if (!ids.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(List.of(ids.split("\\s+")));
            docker(args.toArray(String[]::new));
        }
    }
}
