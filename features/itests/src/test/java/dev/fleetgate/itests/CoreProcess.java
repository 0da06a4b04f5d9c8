package dev.fleetgate.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import dev.fleetgate.persistence.testing.TestDatabase;

/** The core distribution, unpacked from its tarball, configured and run as a real process. */
public final class CoreProcess implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "e2e-admin-password";
    private static final String SHELL_USER = "e2e-shell";

    private final Path home;
    private final int httpPort;
    private final List<String> secretValues;
    private final String shellPassword;
    private Process process;

    private CoreProcess(Path home, int httpPort, List<String> secretValues, String shellPassword) {
        this.home = home;
        this.httpPort = httpPort;
        this.secretValues = secretValues;
        this.shellPassword = shellPassword;
    }

    /**
     * @param ports base of five consecutive free ports: http, ssh, rmi registry, rmi server, https
     */
    public static CoreProcess install(Path workDir, int ports, TestDatabase db, Map<String, String> agentsConfig)
            throws IOException, InterruptedException {
        Path home = workDir.resolve("core");
        Processes.copyTree(Processes.dist("core", "bin/karaf"), home);
        Path etc = home.resolve("etc");
        replace(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", String.valueOf(ports));
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(ports + 1));
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(ports + 2));
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(ports + 3));
        write(
                etc.resolve("org.ops4j.datasource-fleetgate.cfg"),
                Map.of(
                        "osgi.jdbc.driver.name",
                        "PostgreSQL JDBC Driver",
                        "dataSourceName",
                        "jdbc/fleetgate",
                        "url",
                        db.jdbcUrl(),
                        "user",
                        TestDatabase.user(),
                        "password",
                        TestDatabase.password(),
                        "pool",
                        "hikari",
                        "xa",
                        "false",
                        "hikari.connectionTimeout",
                        "1500",
                        "hikari.validationTimeout",
                        "1000",
                        "hikari.initializationFailTimeout",
                        "-1"));
        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        byte[] master = new byte[32];
        ThreadLocalRandom.current().nextBytes(master);
        String jwt = Base64.getEncoder().encodeToString(key);
        String masterKey = Base64.getEncoder().encodeToString(master);
        write(
                etc.resolve("dev.fleetgate.security.cfg"),
                Map.of(
                        ".jwtSecret", jwt,
                        ".masterKey", masterKey,
                        ".initialAdminPassword", ADMIN_PASSWORD));
        write(etc.resolve("dev.fleetgate.agents.cfg"), agentsConfig);
        // the test's own shell user (loopback SSH) for shell(...): whatever the distribution ships
        byte[] shell = new byte[18];
        ThreadLocalRandom.current().nextBytes(shell);
        String shellPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(shell);
        Path users = etc.resolve("users.properties");
        Files.writeString(
                users,
                "# written by the end-to-end test\n" + SHELL_USER + " = " + shellPassword
                        + ",_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        Files.setPosixFilePermissions(users, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return new CoreProcess(home, ports, List.of(jwt, masterKey), shellPassword);
    }

    /**
     * Another core on the same database, in its own {@code workDir}, with {@code first}'s JWT and master
     * keys (as cores sharing a database must be configured: a secret one seals, the other opens).
     */
    public static CoreProcess installBeside(
            CoreProcess first, Path workDir, int ports, TestDatabase db, Map<String, String> agentsConfig)
            throws IOException, InterruptedException {
        CoreProcess second = install(workDir, ports, db, agentsConfig);
        // rewritten in place: the file keeps the mode install gave it
        Files.write(
                second.home.resolve("etc/dev.fleetgate.security.cfg"),
                Files.readAllBytes(first.home.resolve("etc/dev.fleetgate.security.cfg")));
        return new CoreProcess(second.home, ports, first.secretValues, second.shellPassword);
    }

    /**
     * Sets {@code values} in {@code etc/<pid>.cfg} of this core (before it starts, or for FileInstall to pick
     * up), keeping the file's other settings.
     */
    public void configure(String pid, Map<String, String> values) throws IOException {
        Path file = home.resolve("etc").resolve(pid + ".cfg");
        if (!Files.exists(file)) {
            Files.writeString(file, "# written by the end-to-end test\n");
        }
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            replace(file, e.getKey(), e.getValue());
        }
    }

    public void configureAgents(Map<String, String> agentsConfig) throws IOException {
        write(home.resolve("etc/dev.fleetgate.agents.cfg"), agentsConfig);
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /**
     * Runs one Karaf shell command on the running core through {@code bin/client} (loopback SSH, the test's
     * own shell user) and returns its output; fails when the client does not exit 0 within 60 s.
     */
    public String shell(String command) throws IOException, InterruptedException {
        // batch mode, the command on stdin: given as an argument the client answers "Closed" and exits 1
        ProcessBuilder pb = new ProcessBuilder(
                        home.resolve("bin/client").toString(),
                        "-a",
                        String.valueOf(httpPort + 1),
                        "-h",
                        "127.0.0.1",
                        "-u",
                        SHELL_USER,
                        "-p",
                        shellPassword,
                        "-r",
                        "20",
                        "-d",
                        "1",
                        "-b")
                .directory(home.toFile())
                .redirectErrorStream(true);
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        try (java.io.OutputStream in = p.getOutputStream()) {
            in.write((command + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("karaf client did not finish: " + command);
        }
        String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("karaf client exited " + p.exitValue() + " for " + command + ": " + text);
        }
        return text;
    }

    /** The JWT key and the master key this core was configured with (base64, as in its configuration). */
    public List<String> secretValues() {
        return secretValues;
    }

    /** The core's HTTPS URL (its certificate is self-signed: pin {@link #fingerprint()}). */
    public String httpsUrl() {
        return "https://127.0.0.1:" + (httpPort + 4);
    }

    /** The core URL an agent enrols with: HTTPS, as a remote agent would. */
    public String enrolmentUrl() {
        return httpsUrl();
    }

    /** Environment for an agent started against {@link #enrolmentUrl()}: the certificate pin. */
    public Map<String, String> agentEnvironment() {
        return Map.of("FLEETGATE_AGENT_CORE_FINGERPRINT", fingerprint());
    }

    /** The SHA-256 of the certificate the core made on its first start, {@code sha256:<hex>}. */
    public String fingerprint() {
        try (java.io.InputStream in = Files.newInputStream(home.resolve("etc/fleetgate-tls.p12"))) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(
                    in,
                    Files.readString(home.resolve("etc/fleetgate-tls.password"))
                            .trim()
                            .toCharArray());
            java.security.cert.Certificate leaf = store.getCertificate("fleetgate");
            return "sha256:"
                    + java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(leaf.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException("no HTTPS certificate under " + home.resolve("etc"), e);
        }
    }

    public Api api() {
        return new Api(url());
    }

    /** Logs in as admin, waiting for the login resource: health can be UP a moment before every module is mounted. */
    public Api admin() {
        return admin(Duration.ofSeconds(60));
    }

    /** {@link #admin()} waiting up to {@code timeout} for the login and for each module's resource. */
    public Api admin(Duration timeout) {
        Processes.await(
                "admin login on " + url(),
                timeout,
                () -> api().post(
                                        "/api/v1/auth/login",
                                        java.util.Map.of("username", "admin", "password", ADMIN_PASSWORD))
                                .status()
                        == 200);
        Api admin = api().login("admin", ADMIN_PASSWORD);
        // the JAX-RS whiteboard mounts each module's resources on its own after login works
        for (String path : MODULE_ROOTS) {
            Processes.await(
                    path + " mounted on " + url(),
                    timeout,
                    () -> admin.get(path).status() != 404);
        }
        return admin;
    }

    /** A GET root of every module the core feature installs; 404 until the module's resource is mounted. */
    private static final java.util.List<String> MODULE_ROOTS = java.util.List.of(
            "/api/v1/services",
            "/api/v1/dns/zones",
            "/api/v1/metrics/scrapes",
            "/api/v1/monitors",
            "/api/v1/alerts/rules",
            "/api/v1/certificates");

    /** Starts Karaf and waits until health answers UP; returns the cold-start time. */
    public Duration start() throws IOException {
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        home.resolve("console.log").toFile()));
        // HTTPS (etc/fleetgate-jetty.xml) on loopback in tests; bin/setenv makes the certificate on the first start
        pb.environment().put("FLEETGATE_HTTPS_PORT", String.valueOf(httpPort + 4));
        pb.environment().put("FLEETGATE_HTTPS_BIND", "127.0.0.1");
        pb.environment().remove("FLEETGATE_TLS_KEYSTORE");
        pb.environment().remove("FLEETGATE_TLS_KEYSTORE_PASSWORD");
        process = pb.start();
        Api api = api();
        try {
            Processes.await(
                    "core health UP on " + url() + " (log: " + home.resolve("data/log/karaf.log") + ")",
                    Duration.ofSeconds(180),
                    () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("core exited with " + process.exitValue());
                        }
                        Api.Response r = api.get("/api/v1/health");
                        return r.status() == 200
                                && "UP".equals(r.body().path("status").asText());
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; threads: " + threadDump(), e);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Writes the running core's thread dump ({@code jcmd Thread.print}) beside its log; returns where. */
    private String threadDump() {
        long pid = jvmPid();
        if (pid < 0) {
            return "none (the core is not running)";
        }
        Path out = home.resolve("data/log/threads-" + System.currentTimeMillis() + ".txt");
        try {
            Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            return jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && jcmd.exitValue() == 0
                    ? out.toString()
                    : "jcmd failed, see " + out;
        } catch (IOException e) {
            return "jcmd not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    public void stop() {
        Processes.stop(process, Duration.ofSeconds(30));
    }

    /** The pid of the core's JVM (bin/karaf starts it as a child), for CPU figures; -1 when not running. */
    public long jvmPid() {
        if (process == null || !process.isAlive()) {
            return -1;
        }
        return process.toHandle()
                .descendants()
                .filter(h -> h.info().command().orElse("").endsWith("java"))
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElse(process.pid());
    }

    public Path home() {
        return home;
    }

    @Override
    public void close() {
        stop();
    }

    private static void replace(Path file, String key, String value) throws IOException {
        StringBuilder out = new StringBuilder();
        boolean found = false;
        for (String line : Files.readAllLines(file)) {
            if (line.matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                out.append(key).append(" = ").append(value).append('\n');
                found = true;
            } else {
                out.append(line).append('\n');
            }
        }
        if (!found) {
            out.append(key).append(" = ").append(value).append('\n');
        }
        Files.writeString(file, out);
    }

    private static void write(Path file, Map<String, String> values) throws IOException {
        StringBuilder out = new StringBuilder("# written by the end-to-end test\n");
        new TreeMap<>(values)
                .forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(file, out);
    }
}
