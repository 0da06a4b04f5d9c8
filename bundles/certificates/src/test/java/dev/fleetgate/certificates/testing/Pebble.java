package dev.fleetgate.certificates.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Pebble (Debian package {@code pebble}) for tests, with pebble-challtestsrv as its DNS (every name →
 * 127.0.0.1), a CA and a localhost certificate made with openssl. http-01 is validated for real: Pebble fetches
 * {@code http://<domain>:<httpPort>/.well-known/acme-challenge/<token>} from 127.0.0.1. Shared with the e2e tests
 * (test-jar).
 */
public final class Pebble implements AutoCloseable {
    private final Path dir;
    private final int acmePort;
    private final int managementPort;
    private final int httpPort;
    private final List<Process> processes = new ArrayList<>();

    /**
     * @param base     five consecutive free ports: ACME, management, DNS, tls-alpn, challtestsrv management
     * @param httpPort where Pebble validates http-01 (the agent's nginx HTTP port in e2e tests)
     * @param env      extra environment of pebble (e.g. PEBBLE_AUTHZREUSE); PEBBLE_VA_NOSLEEP=1 always
     */
    public Pebble(int base, int httpPort, Map<String, String> env) throws Exception {
        this(base, httpPort, env, 0);
    }

    /** @param validitySeconds lifetime of issued certificates, 0 for Pebble's default (5 years) */
    public Pebble(int base, int httpPort, Map<String, String> env, long validitySeconds) throws Exception {
        this(base, httpPort, env, validitySeconds, null);
    }

    /**
     * @param dnsServer {@code host:port} of the DNS server Pebble resolves names and dns-01 TXT records with (a
     *                  bind9 of the test), or null for pebble-challtestsrv answering 127.0.0.1 for every name
     */
    public Pebble(int base, int httpPort, Map<String, String> env, long validitySeconds, String dnsServer)
            throws Exception {
        this.acmePort = base;
        this.managementPort = base + 1;
        this.httpPort = httpPort;
        int dnsPort = base + 2;
        dir = Files.createTempDirectory("pebble");
        run(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=fleetgate test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        run(
                "openssl",
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-keyout",
                "key.pem",
                "-out",
                "cert.csr");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run(
                "openssl",
                "x509",
                "-req",
                "-in",
                "cert.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "ext.cnf",
                "-out",
                "cert.pem");
        Files.writeString(
                dir.resolve("pebble.json"),
                "{\"pebble\": {\"listenAddress\": \"127.0.0.1:" + acmePort
                        + "\", \"managementListenAddress\": \"127.0.0.1:" + (base + 1)
                        + "\", \"certificate\": \"cert.pem\", "
                        + "\"privateKey\": \"key.pem\", \"httpPort\": " + httpPort + ", \"tlsPort\": " + (base + 3)
                        + ", \"ocspResponderURL\": \"\", \"externalAccountBindingRequired\": false"
                        + (validitySeconds > 0 ? ", \"certificateValidityPeriod\": " + validitySeconds : "") + "}}");
        String resolver = dnsServer == null ? "127.0.0.1:" + dnsPort : dnsServer;
        ProcessBuilder dns = new ProcessBuilder(
                        "pebble-challtestsrv",
                        "-defaultIPv4",
                        "127.0.0.1",
                        "-defaultIPv6",
                        "",
                        "-dns01",
                        "127.0.0.1:" + dnsPort,
                        "-http01",
                        "",
                        "-https01",
                        "",
                        "-tlsalpn01",
                        "",
                        "-management",
                        "127.0.0.1:" + (base + 4))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("challtestsrv.log").toFile());
        if (dnsServer == null) {
            processes.add(dns.start());
        }
        ProcessBuilder pb = new ProcessBuilder("pebble", "-config", "pebble.json", "-dnsserver", resolver)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("pebble.log").toFile());
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
        pb.environment().putAll(env);
        processes.add(pb.start());
        waitForPort(acmePort);
    }

    public int httpPort() {
        return httpPort;
    }

    /** @return Pebble's ACME directory (HTTPS, trust {@link #caFile()}) */
    public String directoryUrl() {
        return "https://127.0.0.1:" + acmePort + "/dir";
    }

    /** @return the PEM of Pebble's own HTTPS certificate (localhost, 127.0.0.1), issued by {@link #caFile()} */
    public Path tlsCertificateFile() {
        return dir.resolve("cert.pem");
    }

    /** @return the PEM of the key of {@link #tlsCertificateFile()} (a fault-injecting proxy in front presents it) */
    public Path tlsKeyFile() {
        return dir.resolve("key.pem");
    }

    /** @return the port of Pebble's ACME (HTTPS) listener */
    public int acmePort() {
        return acmePort;
    }

    /** @return the management port of pebble-challtestsrv (DNS answers: {@code POST /add-a}) */
    public int challtestsrvManagementPort() {
        return acmePort + 4;
    }

    /**
     * Makes pebble-challtestsrv answer {@code host} with this IPv4 address instead of 127.0.0.1 (replacing an
     * earlier answer), e.g. to send Pebble's http-01 validation to one agent's nginx on 127.0.0.2.
     */
    public void resolve(String host, String ipv4) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://127.0.0.1:" + challtestsrvManagementPort() + "/add-a"))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"host\":\"" + host + "\",\"addresses\":[\"" + ipv4 + "\"]}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("challtestsrv add-a answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** @return the PEM of the CA of Pebble's own HTTPS certificate */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /**
     * @return the root that issues the certificates (PEM; it changes with every Pebble start), from the management
     *         interface
     */
    public String issuingRoot() throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = Files.newInputStream(caFile())) {
            ks.setCertificateEntry(
                    "ca",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        java.net.http.HttpClient http =
                java.net.http.HttpClient.newBuilder().sslContext(ctx).build();
        java.net.http.HttpResponse<String> r = http.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("https://127.0.0.1:" + managementPort + "/roots/0"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("pebble roots/0 answered " + r.statusCode());
        }
        return r.body();
    }

    /** @return what Pebble logged so far */
    public String log() throws IOException {
        return Files.readString(dir.resolve("pebble.log"), StandardCharsets.UTF_8);
    }

    private void run(String... cmd) throws Exception {
        run(dir, cmd);
    }

    /** Runs a command in {@code dir}; fails with its output unless it exits 0 (also {@link OcspResponder}'s). */
    static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    private static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("pebble did not listen on " + port);
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }
}
