package dev.fleetgate.agent.nginx.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Self-signed certificates (openssl) and TLS handshakes with SNI for tests. */
final class Tls {

    record Pem(String cert, String key) {}

    private Tls() {}

    static Pem selfSigned(Path dir, String cn) throws Exception {
        Path key = dir.resolve(cn + ".key");
        Path crt = dir.resolve(cn + ".crt");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:prime256v1",
                        "-nodes",
                        "-subj",
                        "/CN=" + cn,
                        "-days",
                        "1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        crt.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(openssl.getInputStream().readAllBytes());
        if (openssl.waitFor() != 0) {
            throw new AssertionError("openssl is required: " + out);
        }
        return new Pem(Files.readString(crt), Files.readString(key));
    }

    /** @return the subject of the certificate the server sends for an SNI name (throws when it refuses) */
    static String subject(int port, String sni) throws Exception {
        try (SSLSocket socket = connect(port, sni)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal()
                    .getName();
        }
    }

    /** @return the cipher suite a handshake offering only this protocol and suite agrees on (throws when refused) */
    static String negotiate(int port, String sni, String protocol, String suite) throws Exception {
        try (SSLSocket socket = connect(port, sni)) {
            SSLParameters params = socket.getSSLParameters();
            params.setProtocols(new String[] {protocol});
            params.setCipherSuites(new String[] {suite});
            socket.setSSLParameters(params);
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        }
    }

    /**
     * @return a TLS socket to 127.0.0.1:port that sends this SNI name and trusts any certificate, before its
     *         handshake; a new context each time, so no session of another site is resumed
     */
    static SSLSocket connect(int port, String sni) throws Exception {
        SSLSocket socket = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(sni)));
        socket.setSSLParameters(params);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        public void checkClientTrusted(X509Certificate[] c, String a) {}

                        public void checkServerTrusted(X509Certificate[] c, String a) {}

                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        return ctx;
    }
}
