package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.ServiceEndpoints;

/**
 * The {@code proxy} applier as the agent runs it, on a real nginx (ports 23300–23309): its scheduler starts the
 * driver, passes the wakes of held requests (scale to zero) to the {@link ServiceEndpoints} providers, and merges
 * the endpoint a provider then reports into the upstream, so the held requests are answered.
 */
class NginxProxyApplierIT {
    static final int HTTP = 23300;
    static final int ADMIN = 23302;

    @TempDir
    Path work;

    private Backend a;
    private NginxProxyApplier applier;

    /** A provider that reports an endpoint of a service only once a request woke it. */
    private final class WakingProvider implements ServiceEndpoints {
        final List<String> woken = new CopyOnWriteArrayList<>();

        @Override
        public Map<String, List<Endpoint>> endpoints() {
            return woken.isEmpty() ? Map.of() : Map.of("z1", List.of(new Endpoint("c1", "127.0.0.1", a.port, 1)));
        }

        @Override
        public void wake(String serviceId) {
            if (!woken.contains(serviceId)) {
                woken.add(serviceId);
                applier.updatedEndpoints(this); // what SCR does when fleetgate.endpoints.revision changes
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        a = new Backend("A", 23305);
        NginxConfiguration config = Specs.configuration(Map.of(
                "workDir",
                work.resolve("nginx").toString(),
                "httpPort",
                HTTP,
                "httpsPort",
                HTTP + 1,
                "listenAddress",
                "127.0.0.1",
                "adminPort",
                ADMIN,
                "workerProcesses",
                "1",
                "workerConnections",
                1024,
                "peersDictSize",
                "4m",
                "healthCheckThreads",
                2,
                "accessLogPollMillis",
                50L));
        applier = new NginxProxyApplier(agent(work), config, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        applier.deactivate();
        ProxyDriver driver = new ProxyDriver(Specs.settings(work.resolve("nginx"), HTTP, ADMIN), () -> {});
        driver.stopNginx(); // the applier leaves nginx running, as for an agent restart
        driver.close();
        a.close();
    }

    @Test
    void aHeldRequestWakesTheProviderAndIsAnsweredByItsNewEndpoint() throws Exception {
        WakingProvider provider = new WakingProvider();
        applier.addEndpoints(provider);
        Specs.Service s = Specs.service("z1", "z.test");
        ObjectNode spec = Specs.spec(s);
        ((ObjectNode) spec.get("extensions"))
                .putObject("scaling")
                .putObject("wake")
                .putObject("z1")
                .put("maxHeld", 100)
                .put("startingPageAfterMs", 8000)
                .put("retryAfterSeconds", 7);
        applier.apply(1, spec);

        List<CompletableFuture<Http.Reply>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(CompletableFuture.supplyAsync(() -> Http.get(HTTP, "z.test", "/")));
        }
        for (CompletableFuture<Http.Reply> f : held) {
            Http.Reply r = f.get();
            assertEquals(200, r.status(), r.body());
            assertEquals("A", r.body());
        }
        assertEquals(List.of("z1"), provider.woken);
        assertTrue(
                applier.status().path("nginx").path("pid").asLong() > 0,
                applier.status().toString());
    }

    private static AgentContext agent(Path stateDir) {
        return new AgentContext() {
            @Override
            public String agentId() {
                return "00000000-0000-0000-0000-000000000001";
            }

            @Override
            public URI coreUrl() {
                return URI.create("https://core.invalid");
            }

            @Override
            public String name() {
                return "applier-it";
            }

            @Override
            public String role() {
                return "host";
            }

            @Override
            public Path stateDir() {
                return stateDir;
            }

            @Override
            public InputStream download(String relativeUrl) {
                throw new UnsupportedOperationException(relativeUrl);
            }

            @Override
            public void requestSync() {}
        };
    }
}
