package dev.fleetgate.itests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** TLS handshakes with SNI against an agent's nginx, trusting one root (Pebble's), for certificate tests. */
final class TlsProbe {
    private TlsProbe() {}

    /**
     * The certificates module's settings ({@code dev.fleetgate.certificates}) that order from {@code pebble}: its
     * directory and CA, a tick every second, retries from 5 s.
     */
    static java.util.Map<String, String> orderingFrom(dev.fleetgate.certificates.testing.Pebble pebble) {
        return java.util.Map.of(
                "directoryUrl",
                pebble.directoryUrl(),
                "caFile",
                pebble.caFile().toString(),
                "tickSeconds",
                "1",
                "retryInitialSeconds",
                "5");
    }

    /** Waits until the core has ordered a certificate for the service ({@code GET /services/{id}/tls}); its id. */
    static String awaitCertificate(Api admin, String serviceId, java.time.Duration timeout) {
        return Processes.awaitValue("the service's certificate", timeout, () -> {
            com.fasterxml.jackson.databind.JsonNode id =
                    admin.get("/api/v1/services/" + serviceId + "/tls").body().path("certificateId");
            return id.isTextual() ? id.asText() : null;
        });
    }

    /** Waits until {@code served} holds, failing at once when the core reports the certificate's order FAILED. */
    static void awaitServed(
            Api admin,
            String certId,
            String what,
            java.time.Duration timeout,
            java.util.function.BooleanSupplier served) {
        Processes.await(what, timeout, () -> {
            com.fasterxml.jackson.databind.JsonNode c =
                    admin.get("/api/v1/certificates/" + certId).body();
            if ("FAILED".equals(c.path("state").asText())) {
                throw new AssertionError("the order failed: " + c);
            }
            return served.getAsBoolean();
        });
    }

    static TrustManagerFactory trusting(String pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry(
                "root",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    /**
     * @return the leaf presented at {@code address:port} for {@code sni} when the root validates its chain and it
     *         names {@code sni}, else null. A new TLS context per call: no session of another site is resumed.
     */
    static X509Certificate leaf(TrustManagerFactory trust, String address, int port, String sni) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust.getTrustManagers(), null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress(address, port), 2000);
                s.setSoTimeout(5000);
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(sni)));
                s.setSSLParameters(p);
                s.startHandshake();
                X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
                return sans(leaf).contains(sni) ? leaf : null;
            }
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            return null;
        }
    }

    static List<String> sans(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> all = c.getSubjectAlternativeNames();
            if (all != null) {
                all.forEach(san -> out.add(String.valueOf(san.get(1))));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // none
        }
        return out;
    }
}
