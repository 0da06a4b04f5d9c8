package dev.fleetgate.certificates.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.fleetgate.dns.DnsZone;
import dev.fleetgate.dns.TsigKey;

/**
 * A real bind9 ({@code named}) authoritative for one zone on 127.0.0.1:port, where every name has A 127.0.0.1 (wildcard) and
 * TSIG-signed RFC 2136 updates are allowed (what module 3's provider talks to).
 */
final class Bind9Zone implements AutoCloseable {
    private static final String KEY = "fleetgate-acme";
    final String zone;
    final int port;
    private final Path dir;
    private final byte[] secret;
    private final Process named;

    /**
     * @param hosts labels that get their own A 127.0.0.1 (a name under which a TXT record is placed is an empty
     *              non-terminal that the zone's wildcard no longer covers)
     */
    Bind9Zone(String zone, int port, String... hosts) throws Exception {
        this.zone = zone;
        this.port = port;
        dir = Files.createTempDirectory("bind9");
        Process keygen = new ProcessBuilder("tsig-keygen", "-a", "hmac-sha256", KEY)
                .redirectErrorStream(true)
                .start();
        String keyConf = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (keygen.waitFor() != 0) {
            throw new IllegalStateException("tsig-keygen: " + keyConf);
        }
        Matcher m = Pattern.compile("secret \"([^\"]+)\"").matcher(keyConf);
        if (!m.find()) {
            throw new IllegalStateException("no secret in " + keyConf);
        }
        secret = Base64.getDecoder().decode(m.group(1));
        Files.writeString(dir.resolve("key.conf"), keyConf);
        Files.writeString(
                dir.resolve("zone.db"),
                "$TTL 60\n@ IN SOA ns." + zone + ". admin." + zone
                        + ". 1 60 60 600 60\n@ IN NS ns." + zone
                        + ".\nns IN A 127.0.0.1\n@ IN A 127.0.0.1\n* IN A 127.0.0.1\n"
                        + String.join(
                                "",
                                java.util.Arrays.stream(hosts)
                                        .map(h -> h + " IN A 127.0.0.1\n")
                                        .toList()));
        Files.writeString(
                dir.resolve("named.conf"),
                "include \"" + dir.resolve("key.conf") + "\";\n"
                        + "options { directory \"" + dir + "\"; listen-on port " + port
                        + " { 127.0.0.1; }; listen-on-v6 { none; };"
                        + " recursion no; pid-file \"" + dir.resolve("named.pid") + "\"; };\ncontrols { };\n"
                        + "zone \"" + zone + "\" { type master; file \"" + dir.resolve("zone.db")
                        + "\"; allow-update { key \""
                        + KEY + "\"; }; };\n");
        named = new ProcessBuilder("named", "-c", dir.resolve("named.conf").toString(), "-u", "root", "-f")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("named.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !named.isAlive()) {
                    throw new IllegalStateException(
                            "named did not start: " + Files.readString(dir.resolve("named.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    DnsZone dnsZone() {
        return new DnsZone(zone, "rfc2136", "127.0.0.1", port, new TsigKey(KEY, "hmac-sha256", secret), 60);
    }

    @Override
    public void close() throws Exception {
        named.destroy();
        if (!named.waitFor(5, TimeUnit.SECONDS)) {
            named.destroyForcibly().waitFor();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
