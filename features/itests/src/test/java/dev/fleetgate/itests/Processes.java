package dev.fleetgate.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Helpers to find distributions, copy them and stop process trees. */
final class Processes {
    private Processes() {}

    static Path dist(String sub, String marker) {
        Path root = Path.of(System.getProperty("fleetgate.dist", "target/dist")).resolve(sub);
        try (Stream<Path> s = Files.walk(root, 2)) {
            return s.filter(p -> Files.exists(p.resolve(marker)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + marker + " under " + root));
        } catch (IOException e) {
            throw new IllegalStateException("distribution missing under " + root + " (build with mvn install)", e);
        }
    }

    /** Stops what an end-to-end test started, each part if it was started: agent (and its nginx), core, database. */
    static void stopAll(AgentProcess agent, CoreProcess core, dev.fleetgate.persistence.testing.TestDatabase db) {
        stopAgentsAndCore(java.util.Arrays.asList(agent), core, db);
    }

    /** {@link #stopAll(AgentProcess, CoreProcess, dev.fleetgate.persistence.testing.TestDatabase)} for agents. */
    static void stopAgentsAndCore(
            List<AgentProcess> agents, CoreProcess core, dev.fleetgate.persistence.testing.TestDatabase db) {
        for (AgentProcess agent : agents) {
            if (agent != null) {
                agent.close();
                agent.stopNginx();
            }
        }
        if (core != null) {
            core.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static void copyTree(Path from, Path to) throws IOException, InterruptedException {
        Files.createDirectories(to.getParent());
        Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString())
                .inheritIO()
                .start();
        if (p.waitFor() != 0) {
            throw new IOException("cp failed: " + from + " -> " + to);
        }
    }

    /** SIGTERM to the process and its descendants, SIGKILL after the grace period. */
    static void stop(Process p, Duration grace) {
        if (p == null || !p.isAlive()) {
            return;
        }
        // Remember the tree first: once the script exits, its JVM is no longer its descendant.
        List<ProcessHandle> tree = new ArrayList<>(p.toHandle().descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long end = System.nanoTime() + grace.toNanos();
        try {
            while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < end) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    static void kill(Process p) {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /**
     * Polls {@code value} until it returns non-null (an exception counts as "not yet") and returns that value;
     * fails with the message when it does not within the timeout.
     */
    static <T> T awaitValue(String what, Duration timeout, java.util.function.Supplier<T> value) {
        java.util.concurrent.atomic.AtomicReference<T> found = new java.util.concurrent.atomic.AtomicReference<>();
        await(what, timeout, () -> {
            T v = value.get();
            found.set(v);
            return v != null;
        });
        return found.get();
    }

    /** Polls a condition; fails with the message when it does not hold within the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
