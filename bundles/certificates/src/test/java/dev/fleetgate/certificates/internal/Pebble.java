package dev.fleetgate.certificates.internal;

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
 * A real Pebble (Debian package) for tests, with pebble-challtestsrv as its DNS (every name → 127.0.0.1), a CA
 * and a localhost certificate made with openssl. http-01 is validated for real at 127.0.0.1:{@code httpPort}.
 */
final class Pebble implements AutoCloseable {
    final Path dir;
    final int acmePort;
    final int httpPort;
    private final List<Process> processes = new ArrayList<>();

    /**
     * @param base four consecutive free ports: ACME, management, http-01 validation, DNS (and base + 4: tls-alpn)
     * @param env  extra environment of pebble (e.g. PEBBLE_AUTHZREUSE)
     */
    Pebble(int base, Map<String, String> env) throws Exception {
        this.acmePort = base;
        this.httpPort = base + 2;
        int dnsPort = base + 3;
        dir = Files.createTempDirectory("pebble");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=fleetgate test CA",
                "-keyout", "ca.key", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "key.pem",
                "-out", "cert.csr");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run("openssl", "x509", "-req", "-in", "cert.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "ext.cnf", "-out", "cert.pem");
        Files.writeString(dir.resolve("pebble.json"), "{\"pebble\": {\"listenAddress\": \"127.0.0.1:" + acmePort
                + "\", \"managementListenAddress\": \"127.0.0.1:" + (base + 1) + "\", \"certificate\": \"cert.pem\", "
                + "\"privateKey\": \"key.pem\", \"httpPort\": " + httpPort + ", \"tlsPort\": " + (base + 4)
                + ", \"ocspResponderURL\": \"\", \"externalAccountBindingRequired\": false}}");
        ProcessBuilder dns = new ProcessBuilder("pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
                "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "", "-tlsalpn01", "",
                "-management", "127.0.0.1:" + (base + 5)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("challtestsrv.log").toFile());
        processes.add(dns.start());
        ProcessBuilder pb = new ProcessBuilder("pebble", "-config", "pebble.json", "-dnsserver", "127.0.0.1:" + dnsPort)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("pebble.log").toFile());
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
        pb.environment().putAll(env);
        processes.add(pb.start());
        waitForPort(acmePort);
    }

    String directoryUrl() {
        return "https://127.0.0.1:" + acmePort + "/dir";
    }

    Path caFile() {
        return dir.resolve("ca.pem");
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("pebble.log"), StandardCharsets.UTF_8);
    }

    private void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
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
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
