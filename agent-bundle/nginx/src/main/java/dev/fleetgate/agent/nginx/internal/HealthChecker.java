package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.fleetgate.agent.Threads;

/**
 * Runs the active HTTP health checks of every target that has one, on a small scheduled pool: each target is
 * checked at once when it appears, then every {@code intervalSeconds}. A check is a {@code GET} of the path on a
 * fresh connection; 2xx and 3xx are successes. A change of a target's rotation calls {@code onTransition}.
 */
public final class HealthChecker implements AutoCloseable {

    /** What to check, by key (the upstream name, host and port). */
    public record CheckTarget(String key, String host, int port, Spec.HealthCheck check, HealthState.Status initial) {}

    /** Checks one target: null when healthy, else the reason. */
    @FunctionalInterface
    public interface Probe {
        String check(String host, int port, String path, int timeoutSeconds);
    }

    private static final class Entry {
        CheckTarget target;
        final HealthState state;
        ScheduledFuture<?> future;
        final CompletableFuture<Void> first = new CompletableFuture<>();

        Entry(CheckTarget target) {
            this.target = target;
            this.state = new HealthState(target.check().rise(), target.check().fall(), target.initial());
        }
    }

    private final ScheduledExecutorService pool;
    private final Probe probe;
    private final Runnable onTransition;
    private final Map<String, Entry> entries = new HashMap<>();

    public HealthChecker(int threads, Probe probe, Runnable onTransition) {
        this.pool = Threads.scheduler("fleetgate-nginx-health", threads);
        this.probe = probe;
        this.onTransition = onTransition;
    }

    /**
     * Makes the checked set equal to {@code targets}: new ones are scheduled (checked at once), changed ones keep
     * their state with the new parameters, missing ones stop.
     *
     * @return the first checks of the new targets (each completes after its first check)
     */
    public synchronized List<CompletableFuture<Void>> sync(Collection<CheckTarget> targets) {
        Map<String, CheckTarget> wanted = new HashMap<>();
        targets.forEach(t -> wanted.put(t.key(), t));
        entries.entrySet().removeIf(e -> {
            if (!wanted.containsKey(e.getKey())) {
                e.getValue().future.cancel(false);
                e.getValue().first.complete(null);
                return true;
            }
            return false;
        });
        List<CompletableFuture<Void>> firsts = new ArrayList<>();
        for (CheckTarget t : wanted.values()) {
            Entry e = entries.get(t.key());
            if (e == null) {
                e = new Entry(t);
                entries.put(t.key(), e);
                schedule(e, 0);
                firsts.add(e.first);
            } else if (!e.target.equals(t)) {
                boolean reschedule =
                        e.target.check().intervalSeconds() != t.check().intervalSeconds();
                e.target = t;
                e.state.limits(t.check().rise(), t.check().fall());
                if (reschedule) {
                    e.future.cancel(false);
                    schedule(e, t.check().intervalSeconds() * 1000L);
                }
            }
        }
        return firsts;
    }

    /** @return whether the target is in rotation; true for a target without an active check */
    public synchronized boolean inRotation(String key) {
        Entry e = entries.get(key);
        return e == null || e.state.inRotation();
    }

    /** @return the state of a checked target */
    public synchronized Optional<HealthState.Status> status(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.state.status());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private void schedule(Entry e, long delayMillis) {
        if (!pool.isShutdown()) {
            e.future = pool.scheduleWithFixedDelay(
                    () -> run(e), delayMillis, e.target.check().intervalSeconds() * 1000L, TimeUnit.MILLISECONDS);
        }
    }

    private void run(Entry e) {
        CheckTarget t;
        synchronized (this) {
            if (entries.get(e.target.key()) != e) {
                return;
            }
            t = e.target;
        }
        String error;
        try {
            error = probe.check(t.host(), t.port(), t.check().path(), t.check().timeoutSeconds());
        } catch (RuntimeException ex) {
            error = String.valueOf(ex);
        }
        boolean changed;
        synchronized (this) {
            changed = entries.get(t.key()) == e && e.state.record(error);
        }
        e.first.complete(null);
        if (changed) {
            onTransition.run();
        }
    }

    /** The probe used by the driver: HTTP/1.1 GET on a new connection, {@code Connection: close}. */
    public static String httpGet(String host, int port, String path, int timeoutSeconds) {
        int timeout = Math.max(1, timeoutSeconds) * 1000;
        long deadline = System.nanoTime() + timeout * 1_000_000L;
        java.net.InetAddress address;
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            for (java.net.InetAddress a : all) {
                if (SafeValues.isLinkLocalOrMetadata(a)) {
                    return "refused: " + host + " is a link-local or metadata address (" + a.getHostAddress() + ")";
                }
            }
            address = all[0];
        } catch (IOException e) {
            return "unknown host " + host;
        }
        // the checked address is the one connected to (no second lookup); redirects are never followed (3xx = up)
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), timeout);
            socket.setSoTimeout(timeout);
            String authority = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + authority
                            + "\r\nUser-Agent: fleetgate-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = statusLine(socket.getInputStream(), deadline);
            String[] parts = line.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                return "not an HTTP answer";
            }
            int status = Integer.parseInt(parts[1]);
            return status >= 200 && status < 400 ? null : "HTTP " + status;
        } catch (SocketTimeoutException e) {
            return "timed out after " + timeoutSeconds + " s";
        } catch (IOException | NumberFormatException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static String statusLine(InputStream in, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 256) {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException();
            }
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
