package dev.fleetgate.agent.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether each replica may take traffic. A replica becomes ready after one successful probe
 * (running; Docker health {@code healthy} when its image has a HEALTHCHECK; its port accepts a
 * TCP connection; and, with a health check, one HTTP GET of the path answers 2xx/3xx). A ready
 * replica is probed every health check interval and leaves after {@code fall} failures in a
 * row, at once when it stops running or Docker calls it unhealthy.
 */
final class Readiness {

    /** A replica to judge. */
    record Candidate(
            String id,
            int port,
            boolean running,
            boolean imageHealthcheck,
            String dockerHealth,
            ServiceSpec.HealthCheck healthCheck,
            long intervalNanos) {}

    private static final class State {
        boolean ready;
        int failures;
        long lastProbe;
        String error;
    }

    private static final int CONNECT_TIMEOUT_MS = 1000;
    private final String host;
    private final ExecutorService pool;
    private final Map<String, State> states = new HashMap<>();

    Readiness(String host, ExecutorService pool) {
        this.host = host;
        this.pool = pool;
    }

    boolean ready(String id) {
        State s = states.get(id);
        return s != null && s.ready;
    }

    /** @return whether some candidate is not ready yet (worth another pass soon) */
    boolean update(List<Candidate> candidates, long now) throws InterruptedException {
        List<Candidate> due = new ArrayList<>();
        List<Future<String>> probes = new ArrayList<>();
        boolean pending = false;
        for (Candidate c : candidates) {
            State s = states.computeIfAbsent(c.id(), k -> new State());
            if (!c.running() || "unhealthy".equals(c.dockerHealth())) {
                s.ready = false;
                s.error = c.running() ? "unhealthy" : "not running";
                continue;
            }
            if (c.imageHealthcheck() && !"healthy".equals(c.dockerHealth())) {
                s.error = "health: " + c.dockerHealth();
                pending = true;
                continue;
            }
            if (!s.ready) {
                pending = true;
            } else if (now - s.lastProbe < c.intervalNanos()) {
                continue;
            }
            due.add(c);
            probes.add(pool.submit(() -> probe(host, c.port(), c.healthCheck())));
        }
        for (int i = 0; i < due.size(); i++) {
            Candidate c = due.get(i);
            State s = states.get(c.id());
            String error;
            try {
                long timeout = CONNECT_TIMEOUT_MS
                        + (c.healthCheck() == null ? 0 : c.healthCheck().timeoutSeconds() * 1000L)
                        + 500;
                error = probes.get(i).get(timeout, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                probes.get(i).cancel(true);
                error = "probe failed: " + e;
            }
            s.lastProbe = now;
            s.error = error;
            if (error == null) {
                s.ready = true;
                s.failures = 0;
            } else if (s.ready) {
                int fall = c.healthCheck() == null ? 2 : c.healthCheck().fall();
                if (++s.failures >= fall) {
                    s.ready = false;
                    s.failures = 0;
                }
            }
        }
        return pending;
    }

    void retain(Set<String> ids) {
        states.keySet().retainAll(ids);
    }

    /** @return null when the replica answers, else why not */
    static String probe(String host, int port, ServiceSpec.HealthCheck healthCheck) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            if (healthCheck == null) {
                return null;
            }
            socket.setSoTimeout(healthCheck.timeoutSeconds() * 1000);
            OutputStream out = socket.getOutputStream();
            String hostHeader = host.contains(":") ? "[" + host + "]" : host;
            out.write(("GET " + healthCheck.path() + " HTTP/1.1\r\nHost: " + hostHeader + ":" + port
                            + "\r\nUser-Agent: fleetgate-agent\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.US_ASCII);
            if (head.length < 12 || !line.startsWith("HTTP/1.")) {
                return "no HTTP answer";
            }
            int status = Integer.parseInt(line.substring(9, 12));
            return status >= 200 && status < 400 ? null : "health check answered " + status;
        } catch (IOException | NumberFormatException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
