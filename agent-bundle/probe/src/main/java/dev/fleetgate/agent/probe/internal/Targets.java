package dev.fleetgate.agent.probe.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Where probes may go (SSRF rules) and how a certificate is read even when it is invalid. */
final class Targets {
    private static final byte[] AWS_IPV6_METADATA = {
        (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
    };

    private Targets() {}

    /** Thrown when the host does not resolve. */
    static final class UnknownHost extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownHost(String host) {
            super("unknown host " + host);
        }
    }

    static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * Resolves the host and checks every address.
     *
     * @return why the host is not probed — it is, or resolves to, a link-local address ({@code 169.254.0.0/16}
     *         with the cloud metadata endpoint, {@code fe80::/10}) or another metadata endpoint — or null
     * @throws UnknownHost when it does not resolve
     */
    static String refused(String host) throws UnknownHost {
        try {
            return refused(InetAddress.getAllByName(bare(host)), host);
        } catch (UnknownHostException e) {
            throw new UnknownHost(host);
        }
    }

    /** @return why {@code host}, resolved to {@code addresses}, is not probed, or null (see {@link #refused(String)}) */
    static String refused(InetAddress[] addresses, String host) {
        for (InetAddress a : addresses) {
            byte[] b = a.getAddress();
            boolean metadata = b.length == 4
                    ? (b[0] & 0xff) == 100 && (b[1] & 0xff) == 100 && (b[2] & 0xff) == 100 && (b[3] & 0xff) == 200
                    : Arrays.equals(b, AWS_IPV6_METADATA);
            if (a.isLinkLocalAddress() || metadata) {
                return "refused: " + host + " is a link-local or metadata address (" + a.getHostAddress() + ")";
            }
        }
        return null;
    }

    /**
     * Reads the server's certificate chain with a handshake that trusts anything: used only to
     * report a certificate (its expiry above all) that failed validation. No application data is
     * sent; the socket is closed right after the handshake.
     *
     * @return the chain, leaf first; empty when there is none or the handshake fails
     */
    static List<X509Certificate> peekChain(String host, int port, int timeoutMs) {
        try {
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    null);
            try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(bare(host), port), timeoutMs);
                socket.setSoTimeout(timeoutMs);
                sni(socket, host);
                socket.startHandshake();
                return x509(socket.getSession().getPeerCertificates());
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            return List.of();
        }
    }

    static void sni(SSLSocket socket, String host) {
        String h = bare(host);
        if (!h.contains(":") && !h.matches("[0-9.]+")) {
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(h)));
            socket.setSSLParameters(p);
        }
    }

    static List<X509Certificate> x509(Certificate[] chain) {
        return Arrays.stream(chain)
                .filter(X509Certificate.class::isInstance)
                .map(X509Certificate.class::cast)
                .toList();
    }
}
