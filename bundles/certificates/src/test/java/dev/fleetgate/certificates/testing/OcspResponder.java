package dev.fleetgate.certificates.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A test CA whose certificates name a real OCSP responder: OpenSSL's ({@code openssl ocsp -index index.txt -CA …
 * -rsigner …}), signing with a delegated responder certificate ({@code extendedKeyUsage=OCSPSigning}) issued by the
 * CA, with nextUpdate = thisUpdate + {@code validityMinutes}. The installed OpenSSL 3.0 binds {@code -port} on every
 * interface (it takes no address), so a small HTTP server on 127.0.0.1 receives the POSTed requests and runs {@code
 * openssl ocsp -reqin … -respout …} for each one (the index is read again each time: a revocation shows at once).
 * Leaves are EC P-256 with {@code authorityInfoAccess=OCSP;URI:http://127.0.0.1:<port>}. Shared with the e2e tests
 * (test-jar).
 */
public final class OcspResponder implements AutoCloseable {
    private static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT);

    private final Path dir;
    private final int port;
    private final int validityMinutes;
    private final Map<BigInteger, String[]> index = new TreeMap<>(); // serial -> {status, expiry, revocation, subject}
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private java.util.concurrent.ExecutorService executor;

    /** An issued leaf: {@code chainPem} = leaf + CA, {@code keyPem} PKCS#8. */
    public record Issued(String chainPem, String keyPem, BigInteger serial) {}

    /**
     * @param port            the responder's port on 127.0.0.1 (started at once)
     * @param validityMinutes nextUpdate of each response, minutes after thisUpdate
     */
    public OcspResponder(int port, int validityMinutes) throws Exception {
        this.port = port;
        this.validityMinutes = validityMinutes;
        dir = Files.createTempDirectory("ocsp-ca");
        run(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "30",
                "-subj",
                "/CN=Fleetgate OCSP test CA " + port,
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        issueFile(
                "responder",
                "/CN=OCSP responder " + port,
                2,
                30,
                "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\n");
        writeIndex();
        start();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String caPem() throws IOException {
        return Files.readString(dir.resolve("ca.pem"));
    }

    /** How many requests the responder answered. */
    public int requests() {
        return requests.get();
    }

    /** Issues a leaf for {@code dnsName} naming this responder (or none: {@code withOcsp} false). */
    public synchronized Issued issue(String dnsName, long serial, boolean withOcsp) throws Exception {
        String name = "leaf-" + serial;
        issueFile(
                name,
                "/CN=" + dnsName,
                serial,
                20,
                "basicConstraints=CA:FALSE\nsubjectAltName=DNS:" + dnsName + "\nextendedKeyUsage=serverAuth\n"
                        + (withOcsp ? "authorityInfoAccess=OCSP;URI:" + url() + "\n" : ""));
        index.put(BigInteger.valueOf(serial), new String[] {
            "V", INDEX_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusDays(20)), "", "/CN=" + dnsName
        });
        writeIndex();
        return new Issued(
                Files.readString(dir.resolve(name + ".pem")) + caPem(),
                Files.readString(dir.resolve(name + ".key")),
                BigInteger.valueOf(serial));
    }

    /** Marks the certificate revoked in index.txt (now): the next response says revoked. */
    public synchronized void revoke(long serial) throws IOException {
        String[] e = index.get(BigInteger.valueOf(serial));
        index.put(
                BigInteger.valueOf(serial),
                new String[] {"R", e[1], INDEX_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)), e[3]});
        writeIndex();
    }

    /** The DER response of OpenSSL's responder to a DER request. */
    public synchronized byte[] respond(byte[] request) throws Exception {
        Path in = Files.createTempFile(dir, "req", ".der");
        Path out = dir.resolve(in.getFileName() + ".resp");
        Files.write(in, request);
        run(
                "openssl",
                "ocsp",
                "-index",
                "index.txt",
                "-CA",
                "ca.pem",
                "-rsigner",
                "responder.pem",
                "-rkey",
                "responder.key",
                "-nmin",
                Integer.toString(validityMinutes),
                "-reqin",
                in.toString(),
                "-respout",
                out.toString());
        byte[] der = Files.readAllBytes(out);
        Files.delete(in);
        Files.delete(out);
        requests.incrementAndGet();
        return der;
    }

    /** The responder's DER answer about an issued leaf now (as if a client asked). */
    public synchronized byte[] responseFor(long serial) throws Exception {
        String request = "req-" + serial + ".der";
        run(
                "openssl",
                "ocsp",
                "-issuer",
                "ca.pem",
                "-cert",
                "leaf-" + serial + ".pem",
                "-no_nonce",
                "-reqout",
                request);
        return respond(Files.readAllBytes(dir.resolve(request)));
    }

    /** Stops answering (connections are refused) until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        executor = Executors.newSingleThreadExecutor();
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            try (InputStream body = ex.getRequestBody()) {
                byte[] der = respond(body.readNBytes(64 * 1024));
                ex.getResponseHeaders().set("Content-Type", "application/ocsp-response");
                ex.sendResponseHeaders(200, der.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(der);
                }
            } catch (Exception e) {
                ex.sendResponseHeaders(500, -1);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    private void writeIndex() throws IOException {
        StringBuilder b = new StringBuilder();
        index.forEach((serial, e) -> {
            String hex = serial.toString(16).toUpperCase(Locale.ROOT);
            b.append(e[0])
                    .append('\t')
                    .append(e[1])
                    .append('\t')
                    .append(e[2])
                    .append('\t')
                    .append(hex.length() % 2 == 0 ? hex : "0" + hex)
                    .append("\tunknown\t")
                    .append(e[3])
                    .append('\n');
        });
        Files.writeString(dir.resolve("index.txt"), b.toString(), StandardCharsets.US_ASCII);
    }

    /** A P-256 key {@code <name>.key} and a certificate {@code <name>.pem} of the CA with these extensions. */
    private void issueFile(String name, String subject, long serial, int days, String extensions) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        run(
                "openssl",
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-subj",
                subject,
                "-keyout",
                name + ".key",
                "-out",
                name + ".csr");
        run(
                "openssl",
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-set_serial",
                Long.toString(serial),
                "-days",
                Integer.toString(days),
                "-extfile",
                name + ".ext",
                "-out",
                name + ".pem");
    }

    private void run(String... cmd) throws Exception {
        Pebble.run(dir, cmd);
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }
}
