package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the ITs that drive a real nginx of their own through a {@link ProxyDriver}: before each test the driver
 * starts with the class's {@link #settings} (working directory {@code work/nginx}); after it, nginx is stopped, the
 * driver then in {@link #driver} closed, and everything the test gave {@link #closeAfter} closed (last first).
 */
abstract class WithNginx {

    @TempDir
    Path work;

    /** The test's driver; a test may replace it (a restarted agent): the one here at the end is stopped. */
    ProxyDriver driver;

    /** How often the test's first driver asked the agent for a sync (a target's health changed). */
    final AtomicInteger syncRequests = new AtomicInteger();

    private final int httpPort;
    private final int adminPort;
    private final String workers;
    private final String dictSize;
    private final Deque<AutoCloseable> closing = new ArrayDeque<>();

    /** @param httpPort the HTTP port of the class's nginx (its HTTPS port is the next one) */
    WithNginx(int httpPort, int adminPort) {
        this(httpPort, adminPort, "1", "4m");
    }

    /**
     * @param workers  nginx's worker_processes
     * @param dictSize the size of the shared dict holding peers and routes
     */
    WithNginx(int httpPort, int adminPort, String workers, String dictSize) {
        this.httpPort = httpPort;
        this.adminPort = adminPort;
        this.workers = workers;
        this.dictSize = dictSize;
    }

    /** @return the settings of the test's nginx: {@link Specs#settings} by default */
    NginxSettings settings(Path workDir) {
        return Specs.settings(workDir, httpPort, adminPort, workers, dictSize);
    }

    /** @return a backend (an upstream for the test) that is closed after the test */
    Backend backend(String name, int port) throws IOException {
        return closeAfter(new Backend(name, port));
    }

    /** @return {@code resource}, closed after the test (after nginx stopped) */
    <T extends AutoCloseable> T closeAfter(T resource) {
        closing.push(resource);
        return resource;
    }

    /** Starts nginx with its live configuration as a service manager would: without the driver. */
    void startNginxFromOutside() throws IOException {
        NginxProcess.Result started = NginxProcess.run(
                List.of("/usr/sbin/nginx", "-c", driver.settings().confFile().toString()));
        assertEquals(0, started.exit(), started.output());
    }

    @BeforeEach
    final void startDriver() {
        assertTrue(
                Files.isExecutable(Path.of("/usr/sbin/nginx")),
                "nginx is required (apt-get install nginx-light libnginx-mod-http-lua)");
        driver = new ProxyDriver(settings(work.resolve("nginx")), syncRequests::incrementAndGet);
        driver.start();
    }

    @AfterEach
    final void stopDriver() throws Exception {
        try {
            driver.stopNginx();
            driver.close();
        } finally {
            while (!closing.isEmpty()) {
                closing.pop().close();
            }
        }
    }
}
