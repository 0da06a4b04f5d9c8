package dev.fleetgate.agent.internal;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The core's certificate pinned by its SHA-256 fingerprint ({@code sha256:<64 hex>}): the agent
 * accepts exactly that leaf certificate, whatever signed it and whatever name it carries (no CA,
 * no hostname check: the pin is stronger than both). The operator copies the fingerprint from the
 * enrolment-token answer, obtained in an authenticated session.
 */
public final class CorePin extends X509ExtendedTrustManager {

    private static final Pattern FINGERPRINT = Pattern.compile("(?i)(sha256:)?([0-9a-f]{2}:?){31}[0-9a-f]{2}");

    private final byte[] expected;

    private CorePin(byte[] expected) {
        this.expected = expected;
    }

    /**
     * @param fingerprint {@code sha256:HEX}, {@code HEX} or {@code AA:BB:...} (keytool's form), any case
     * @throws IllegalArgumentException when it is not a SHA-256 fingerprint
     */
    public static CorePin of(String fingerprint) {
        return new CorePin(HexFormat.of().parseHex(normalize(fingerprint).substring("sha256:".length())));
    }

    /** @return the fingerprint as {@code sha256:<64 lower-case hex>} */
    public static String normalize(String fingerprint) {
        String f = fingerprint == null ? "" : fingerprint.trim();
        if (!FINGERPRINT.matcher(f).matches()) {
            throw new IllegalArgumentException(
                    "not a SHA-256 certificate fingerprint (sha256:<64 hex digits>): '" + f + "'");
        }
        String hex = f.toLowerCase(Locale.ROOT).replace("sha256:", "").replace(":", "");
        return "sha256:" + hex;
    }

    /** @return the fingerprint of a certificate, {@code sha256:<hex>} */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return "sha256:" + HexFormat.of().formatHex(sha256(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** @return an SSL context that trusts only this pin */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    /** Cleartext only on the machine itself: {@code http://} is refused unless the host is a loopback address. */
    public static boolean loopback(URI core) {
        String host = core.getHost();
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: never resolved here, a DNS answer must not make cleartext acceptable
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the core sent no certificate");
        }
        byte[] actual = sha256(chain[0].getEncoded());
        if (!MessageDigest.isEqual(actual, expected)) {
            throw new CertificateException("the core's certificate " + fingerprint(chain[0])
                    + " does not match the pinned fingerprint sha256:"
                    + HexFormat.of().formatHex(expected)
                    + " (--core-fingerprint)");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent authenticates no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
