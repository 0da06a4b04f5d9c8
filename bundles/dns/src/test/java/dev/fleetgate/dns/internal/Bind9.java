package dev.fleetgate.dns.internal;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.DnsZone;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.dns.TsigKey;

/**
 * A real bind9 for one test class: its own directory, a free port in 19530-19599 on
 * 127.0.0.1, zone {@code example.test} updatable with key {@code fleetgate}; key
 * {@code other} is known to the server but not allowed to update. Fails (never skips) when
 * {@code named} is missing.
 */
final class Bind9 implements AutoCloseable {
    static final String ZONE = "example.test";
    private static final Pattern SECRET = Pattern.compile("secret \"([^\"]+)\"");
    private static final Rfc2136Provider LOOKUP = Rfc2136Provider.withTimeout(Duration.ofSeconds(2));

    private final Path dir;
    private final int port;
    private final TsigKey key;
    private final TsigKey otherKey;
    private Process process;

    private Bind9(Path dir, int port, TsigKey key, TsigKey otherKey) {
        this.dir = dir;
        this.port = port;
        this.key = key;
        this.otherKey = otherKey;
    }

    /** Starts named and waits until it answers for the zone. */
    static Bind9 start(String... zoneLines) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("fg-bind9-");
        String keyConf = run(dir, "tsig-keygen", "-a", "hmac-sha256", "fleetgate");
        String otherConf = run(dir, "tsig-keygen", "-a", "hmac-sha256", "other");
        TsigKey key = new TsigKey("fleetgate", "hmac-sha256", secret(keyConf));
        TsigKey other = new TsigKey("other", "hmac-sha256", secret(otherConf));
        int port = freePort();
        StringBuilder zone = new StringBuilder("""
                $TTL 300
                @   IN SOA ns.example.test. hostmaster.example.test. ( 1 3600 600 86400 60 )
                    IN NS  ns.example.test.
                ns  IN A   127.0.0.1
                """);
        for (String line : zoneLines) {
            zone.append(line).append('\n');
        }
        Files.writeString(dir.resolve("example.test.zone"), zone);
        Files.writeString(dir.resolve("named.conf"), """
                options {
                  directory "%1$s";
                  pid-file "%1$s/named.pid";
                  session-keyfile "%1$s/session.key";
                  managed-keys-directory "%1$s";
                  listen-on port %2$d { 127.0.0.1; };
                  listen-on-v6 { none; };
                  recursion no;
                  dnssec-validation no;
                  notify no;
                };
                controls { };
                %3$s
                %4$s
                zone "example.test" {
                  type primary;
                  file "%1$s/example.test.zone";
                  allow-update { key "fleetgate"; };
                };
                """.formatted(dir, port, keyConf, otherConf));
        Bind9 b = new Bind9(dir, port, key, other);
        b.launch();
        return b;
    }

    private void launch() throws IOException, InterruptedException {
        Path log = dir.resolve("named.log");
        try {
            List<String> cmd = new ArrayList<>(
                    List.of("named", "-c", dir.resolve("named.conf").toString(), "-g"));
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("-u", "root")); // named would switch to user "bind", who cannot write our temp dir
            }
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "bind9 is not installed (apt-get install -y bind9 bind9-dnsutils): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "named exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (Files.readString(log).contains("running")
                    && dig("ns." + ZONE, "A").contains("127.0.0.1")) {
                return;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        close();
        throw new IllegalStateException("named did not answer within 30 s:\n" + Files.readString(log));
    }

    int port() {
        return port;
    }

    TsigKey key() {
        return key;
    }

    TsigKey otherKey() {
        return otherKey;
    }

    /** @return the answers of {@code dig +tcp +short}, sorted (an independent check, not dnsjava) */
    List<String> dig(String name, String type) throws IOException, InterruptedException {
        String out = run(
                dir,
                "dig",
                "@127.0.0.1",
                "-p",
                Integer.toString(port),
                "+tcp",
                "+short",
                "+time=2",
                "+tries=1",
                name,
                type);
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isBlank() && !l.startsWith(";;")) {
                lines.add(l.trim());
            }
        }
        lines.sort(Comparator.naturalOrder());
        return lines;
    }

    /**
     * Waits until the server answers exactly {@code expected} (sorted), failing after 30 s:
     * polls with a quick dnsjava query, then confirms with dig.
     */
    void await(String name, String type, List<String> expected) throws IOException, InterruptedException {
        List<String> want = new ArrayList<>(expected);
        want.sort(Comparator.naturalOrder());
        DnsZone zone = new DnsZone(ZONE, "rfc2136", "127.0.0.1", port, key, 60);
        RecordType t = RecordType.valueOf(type);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!want.equals(quick(zone, name, t))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        name + " " + type + ": expected " + want + " but dig shows " + dig(name, type));
            }
            Thread.sleep(5); // polling an external server, not synchronising threads
        }
        List<String> got = dig(name, type);
        if (!got.equals(want)) {
            throw new AssertionError(name + " " + type + ": expected " + want + " but dig shows " + got);
        }
    }

    private static List<String> quick(DnsZone zone, String name, RecordType type) {
        try {
            List<String> values = new ArrayList<>();
            for (DnsRecord r : LOOKUP.lookup(zone, name, type)) {
                values.add(r.value());
            }
            values.sort(Comparator.naturalOrder());
            return values;
        } catch (DnsException e) {
            return List.of("error: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static byte[] secret(String conf) {
        Matcher m = SECRET.matcher(conf);
        if (!m.find()) {
            throw new IllegalStateException("tsig-keygen printed no secret: " + conf);
        }
        return Base64.getDecoder().decode(m.group(1));
    }

    private static int freePort() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        int first = 19530 + ThreadLocalRandom.current().nextInt(70);
        for (int i = 0; i < 70; i++) {
            int p = 19530 + (first - 19530 + i) % 70;
            try (ServerSocket tcp = new ServerSocket();
                    DatagramSocket udp = new DatagramSocket(null)) {
                tcp.bind(new InetSocketAddress(lo, p));
                udp.bind(new InetSocketAddress(lo, p));
                return p;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new IllegalStateException("No free port in 19530-19599 on 127.0.0.1");
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    command[0] + " is not installed (apt-get install -y bind9 bind9-dnsutils): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 && !command[0].equals("dig")) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
