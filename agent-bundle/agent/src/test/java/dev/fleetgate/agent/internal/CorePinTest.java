package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/** The pinning trust manager, against a real TLS server with a self-signed certificate made by keytool. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorePinTest {

    @TempDir
    static Path tmp;

    private HttpsServer server;
    private X509Certificate certificate;
    private X509Certificate other;

    @BeforeAll
    void start() throws Exception {
        KeyStore keys = keyStore(tmp.resolve("core.p12"), "core.example");
        certificate = (X509Certificate) keys.getCertificate("core");
        other = (X509Certificate)
                keyStore(tmp.resolve("other.p12"), "core.example").getCertificate("core");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/api/v1/agents/enroll", exchange -> {
            byte[] body = "{\"agentId\":\"a\",\"apiKey\":\"k\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    void stop() {
        server.stop(0);
    }

    /** A PKCS12 key store with one self-signed certificate, alias {@code core}, made as the core's setenv does. */
    private static KeyStore keyStore(Path file, String cn) throws Exception {
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "core",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=" + cn,
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks;
    }

    private URI url() {
        // the certificate says core.example: pinned, the name does not matter
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void acceptsExactlyThePinnedCertificate() throws Exception {
        CorePin pin = CorePin.of(CorePin.fingerprint(certificate));
        pin.checkServerTrusted(new X509Certificate[] {certificate}, "ECDHE_ECDSA");
        CertificateException e = assertThrows(
                CertificateException.class, () -> pin.checkServerTrusted(new X509Certificate[] {other}, "ECDHE_ECDSA"));
        assertTrue(e.getMessage().contains("does not match the pinned fingerprint"), e.getMessage());
        assertThrows(CertificateException.class, () -> pin.checkServerTrusted(new X509Certificate[0], "ECDHE_ECDSA"));
    }

    @Test
    void enrolsOverTlsWithTheRightPinOnly() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        CoreClient pinned = new CoreClient(url(), mapper, CorePin.fingerprint(certificate));
        assertEquals(
                "a", pinned.enroll(mapper.createObjectNode()).get("agentId").asText());

        CoreClient wrong = new CoreClient(url(), mapper, CorePin.fingerprint(other));
        assertThrows(SSLHandshakeException.class, () -> wrong.enroll(mapper.createObjectNode()));

        // without a pin: the JVM's CAs, which do not know a self-signed certificate
        CoreClient unpinned = new CoreClient(url(), mapper, null);
        assertThrows(SSLHandshakeException.class, () -> unpinned.enroll(mapper.createObjectNode()));
    }

    @Test
    void readsTheFingerprintInEveryCommonForm() {
        String hex = CorePin.fingerprint(certificate).substring("sha256:".length());
        StringBuilder colons = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            colons.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        assertEquals("sha256:" + hex, CorePin.normalize(hex.toUpperCase(Locale.ROOT)));
        assertEquals("sha256:" + hex, CorePin.normalize(colons.toString()));
        assertEquals("sha256:" + hex, CorePin.normalize("SHA256:" + hex));
        assertThrows(IllegalArgumentException.class, () -> CorePin.normalize("sha256:abcd"));
        assertThrows(IllegalArgumentException.class, () -> CorePin.normalize("md5:" + hex));
    }

    @Test
    void cleartextOnlyOnLoopback() {
        assertTrue(CorePin.loopback(URI.create("http://127.0.0.1:8080")));
        assertTrue(CorePin.loopback(URI.create("http://127.3.4.5:8080")));
        assertTrue(CorePin.loopback(URI.create("http://[::1]:8080")));
        assertTrue(CorePin.loopback(URI.create("http://localhost:8080")));
        assertFalse(CorePin.loopback(URI.create("http://10.0.0.1:8080")));
        assertFalse(CorePin.loopback(URI.create("http://core.example:8080")));
        assertFalse(CorePin.loopback(URI.create("http://127.0.0.1.nip.io:8080")));
        ObjectMapper mapper = new ObjectMapper();
        assertThrows(
                IllegalArgumentException.class, () -> new CoreClient(URI.create("http://core.example:8080"), mapper));
    }
}
