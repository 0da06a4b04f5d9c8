package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.Task;

class ServedCertificateHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void reportsTheSerialOfWhatIsServedForTheName(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("ks.p12");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-keystore",
                        ks.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-alias",
                        "site",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=shop.example.test",
                        "-validity",
                        "2")
                .inheritIO()
                .start();
        assertEquals(0, p.waitFor());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket)
                ctx.getServerSocketFactory().createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                    s.getInputStream().read();
                } catch (Exception e) {
                    // the client closes
                }
            });
            accept.start();
            ServedCertificateHandler h = new ServedCertificateHandler("127.0.0.1", server.getLocalPort());
            JsonNode r =
                    h.handle(new Task("t1", "tls.served", JSON.readTree("{\"serverName\":\"shop.example.test\"}")));
            X509Certificate cert = (X509Certificate) store.getCertificate("site");
            assertEquals(cert.getSerialNumber().toString(16), r.get("serial").asText());
            assertEquals(
                    cert.getNotAfter().toInstant().toString(), r.get("notAfter").asText());
            accept.join(5000);
        }
    }

    @Test
    void refusesAnythingButAHostName() {
        ServedCertificateHandler h = new ServedCertificateHandler("127.0.0.1", 1);
        for (String bad : new String[] {
            "{}", "{\"serverName\":\"a b\"}", "{\"serverName\":\"*.x.test\"}", "{\"serverName\":\"UPPER.test\"}"
        }) {
            assertThrows(
                    IllegalArgumentException.class, () -> h.handle(new Task("t", "tls.served", JSON.readTree(bad))));
        }
    }
}
