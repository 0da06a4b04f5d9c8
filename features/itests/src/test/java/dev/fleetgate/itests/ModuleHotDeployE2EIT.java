package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On the shared core distribution: the features resolved and started (the REST API answers, {@code /modules}
 * lists proxy), and a module bundle can be stopped and started through the Karaf shell while the core serves,
 * its endpoint going and coming with it and no other endpoint failing meanwhile. Leaves every module mounted
 * again for the next class.
 */
@ExtendWith(SharedFleet.class)
class ModuleHotDeployE2EIT {
    private static final List<String> OTHERS =
            List.of("/api/v1/health", "/api/v1/agents", "/api/v1/modules", "/api/v1/auth/me");

    @Test
    void moduleEndpointFollowsItsBundleWhileOthersKeepServing(Fleet fleet) throws Exception {
        Api admin = fleet.admin();
        admin.get("/api/v1/services").expect(200);
        String modules = admin.get("/api/v1/modules").expect(200).body().toString();
        assertTrue(modules.contains("\"proxy\""), modules);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        Thread load = new Thread(
                () -> {
                    while (running.get()) {
                        for (String path : OTHERS) {
                            try {
                                int s = admin.get(path).status();
                                if (s != 200) {
                                    failures.incrementAndGet();
                                    System.err.println(path + " answered " + s + " during the module (un)deploy");
                                }
                            } catch (RuntimeException e) {
                                failures.incrementAndGet();
                                System.err.println(path + " failed during the module (un)deploy: " + e);
                            }
                            requests.incrementAndGet();
                        }
                    }
                },
                "load");
        load.start();
        try {
            for (int round = 0; round < 3; round++) {
                fleet.core().shell("bundle:stop dev.fleetgate.proxy");
                Processes.await(
                        "/services gone",
                        Duration.ofSeconds(30),
                        () -> admin.get("/api/v1/services").status() == 404);
                fleet.core().shell("bundle:start dev.fleetgate.proxy");
                Processes.await(
                        "/services back",
                        Duration.ofSeconds(30),
                        () -> admin.get("/api/v1/services").status() == 200);
            }
        } finally {
            running.set(false);
            load.join();
            try {
                fleet.core().shell("bundle:start dev.fleetgate.proxy");
            } catch (AssertionError e) {
                System.err.println("starting the proxy bundle again failed: " + e.getMessage());
            }
        }
        // modules that reference the proxy's services come back on their own: wait for all of them
        fleet.core().admin();
        assertTrue(requests.get() > 20, "load ran: " + requests.get());
        assertEquals(0, failures.get(), "failed requests to other endpoints while the module went and came");
    }

    /**
     * No bundle of the distribution keeps every event: Karaf's event commands (left out, {@code features/core/pom.xml})
     * came with a handler of every topic that kept the last 100 events, metrics batches and their samples included.
     */
    @Test
    void noBundleKeepsEveryEvent(Fleet fleet) throws Exception {
        String bundles = fleet.core().shell("bundle:list -s -t 0");
        assertTrue(bundles.contains("org.apache.karaf.services.eventadmin"), "Event Admin is there: " + bundles);
        assertFalse(
                Pattern.compile("org\\.apache\\.karaf\\.event\\s*$", Pattern.MULTILINE)
                        .matcher(bundles)
                        .find(),
                "Karaf's event collector is installed: " + bundles);
    }
}
