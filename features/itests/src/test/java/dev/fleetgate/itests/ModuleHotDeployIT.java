package dev.fleetgate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Boots the core distribution with Pax Exam: the features resolve and start, the REST API
 * answers, and a module bundle can be stopped and started while the core serves, its endpoint
 * going and coming with it and no other endpoint failing meanwhile.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModuleHotDeployIT {
    private static final int HTTP = 18580;
    private static final String BASE = "http://127.0.0.1:" + HTTP + "/api/v1";
    private static final String ADMIN_PASSWORD = "pax-admin-password";

    @Inject
    private BundleContext context;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        String jdbcUrl = ExamDatabase.createOnce();
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(maven("dev.fleetgate", "fleetgate-core").type("tar.gz")
                            .version(System.getProperty("fleetgate.version")))
                    .name("Fleetgate core").unpackDirectory(new File("target/exam")).useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.WARN),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(HTTP)),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", "18581"),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", "18582"),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", "18583"),
            editConfigurationFilePut("etc/org.ops4j.datasource-fleetgate.cfg", "url", jdbcUrl),
            editConfigurationFilePut("etc/org.ops4j.datasource-fleetgate.cfg", "user", ExamDatabase.user()),
            editConfigurationFilePut("etc/org.ops4j.datasource-fleetgate.cfg", "password", ExamDatabase.password()),
            editConfigurationFilePut("etc/dev.fleetgate.security.cfg", ".initialAdminPassword", ADMIN_PASSWORD),
            editConfigurationFilePut("etc/dev.fleetgate.security.cfg", ".jwtSecret",
                    "cGF4LWV4YW0tdGVzdC1zZWNyZXQtb2YtMzItYnl0ZXMhIQ=="),
        };
    }

    @Test
    public void moduleEndpointFollowsItsBundleWhileOthersKeepServing() throws Exception {
        awaitStatus("/health", null, 200, Duration.ofSeconds(120));
        String token = login();
        awaitStatus("/services", token, 200, Duration.ofSeconds(60));
        String modules = get("/modules", token).body();
        assertTrue(modules, modules.contains("\"proxy\""));

        Bundle proxy = bundle("dev.fleetgate.proxy");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        Thread load = new Thread(() -> {
            while (running.get()) {
                for (String path : new String[] {"/health", "/agents", "/modules", "/auth/me"}) {
                    try {
                        int s = get(path, token).statusCode();
                        if (s != 200) {
                            failures.incrementAndGet();
                            System.err.println(path + " answered " + s + " during the module (un)deploy");
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        System.err.println(path + " failed during the module (un)deploy: " + e);
                    }
                    requests.incrementAndGet();
                }
            }
        }, "load");
        load.start();
        try {
            for (int round = 0; round < 3; round++) {
                proxy.stop();
                awaitStatus("/services", token, 404, Duration.ofSeconds(30));
                proxy.start();
                awaitStatus("/services", token, 200, Duration.ofSeconds(30));
            }
        } finally {
            running.set(false);
            load.join();
        }
        assertTrue("load ran: " + requests.get(), requests.get() > 20);
        assertEquals("failed requests to other endpoints while the module went and came", 0, failures.get());
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }

    /** Logs in, waiting up to 60 s for the security module's resource (health is UP before every module mounted). */
    private String login() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> r;
        do {
            r = http.send(HttpRequest.newBuilder(URI.create(BASE + "/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 404 && r.statusCode() != 503) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < end);
        assertEquals(r.body(), 200, r.statusCode());
        Matcher m = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        assertTrue(r.body(), m.find());
        assertNotNull(m.group(1));
        return m.group(1);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String path, String token, int status, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < end) {
            try {
                last = get(path, token).statusCode();
                if (last == status) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " did not answer " + status + " within " + timeout + " (last " + last + ")");
    }
}
