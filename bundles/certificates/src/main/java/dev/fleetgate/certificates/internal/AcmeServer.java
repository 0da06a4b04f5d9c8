package dev.fleetgate.certificates.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

import dev.fleetgate.security.SecretBox;

/**
 * One ACME server (directory URL, optional extra CA to trust) and this installation's account on it.
 * acme4j is used without its ServiceLoader lookups: the session gets its provider directly, so the
 * embedded copy works inside OSGi.
 */
public final class AcmeServer {
    private final String directoryUrl;
    private final Session session;
    private final CertificateStore store;
    private final SecretBox box;
    private volatile Login login;

    /**
     * @param caFile PEM of a CA to trust besides the JVM's defaults, or null/blank
     */
    public AcmeServer(String directoryUrl, String caFile, CertificateStore store, SecretBox box) {
        this.directoryUrl = directoryUrl;
        this.store = store;
        this.box = box;
        SSLContext ssl = caFile == null || caFile.isBlank() ? null : sslContext(Path.of(caFile));
        this.session = new Session(URI.create(directoryUrl), new Provider(ssl));
        // acme4j waits 30 s by default; a core without a route to the CA answers GET /certificates/account sooner
        session.networkSettings().setTimeout(java.time.Duration.ofSeconds(10));
    }

    public String directoryUrl() {
        return directoryUrl;
    }

    public Session session() {
        return session;
    }

    /** @return the terms of service the account agrees to, when the server has any */
    public Optional<URI> termsOfService() throws AcmeException {
        return session.getMetadata().getTermsOfService();
    }

    /** @return the stored account of this server, if any */
    public Optional<CertificateStore.Account> account() {
        return store.account(directoryUrl);
    }

    /**
     * Records the contact and the admin's agreement (a key is made for a new account; the account itself is
     * registered at the next order).
     */
    public CertificateStore.Account saveAccount(String email, boolean termsAgreed) {
        Optional<CertificateStore.Account> old = account();
        String key =
                old.map(CertificateStore.Account::keySealed).orElseGet(() -> box.encrypt(Pem.keyPair(Pem.newEcKey())));
        login = null;
        return store.saveAccount(new CertificateStore.Account(
                directoryUrl, old.map(CertificateStore.Account::accountUrl).orElse(null), key, email, termsAgreed));
    }

    /**
     * @return a login of the account, registering it with the server the first time
     * @throws IllegalStateException when no admin agreed to the terms of service yet
     */
    public Login login() throws AcmeException {
        Login l = login;
        if (l != null) {
            return l;
        }
        CertificateStore.Account a = account()
                .filter(CertificateStore.Account::termsAgreed)
                .orElseThrow(() -> new IllegalStateException("the ACME terms of service are not agreed yet "
                        + "(an admin agrees through PUT /api/v1/certificates/account)"));
        KeyPair key = Pem.readKeyPair(box.decrypt(a.keySealed()));
        AccountBuilder b = new AccountBuilder().agreeToTermsOfService().useKeyPair(key);
        if (a.email() != null && !a.email().isBlank()) {
            b.addEmail(a.email());
        }
        l = b.createLogin(session); // finds the existing account for this key, or creates it
        if (!l.getAccountLocation().toString().equals(a.accountUrl())) {
            store.saveAccount(new CertificateStore.Account(
                    directoryUrl, l.getAccountLocation().toString(), a.keySealed(), a.email(), true));
        }
        login = l;
        return l;
    }

    private static SSLContext sslContext(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            List<X509Certificate> extra = new ArrayList<>();
            for (java.security.cert.Certificate c :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                extra.add((X509Certificate) c);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : extra) {
                ks.setCertificateEntry("extra-" + i++, c);
            }
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            TrustManagerFactory mine = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            mine.init(ks);
            X509TrustManager a = (X509TrustManager) defaults.getTrustManagers()[0];
            X509TrustManager b = (X509TrustManager) mine.getTrustManagers()[0];
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new EitherTrustManager(a, b)}, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the ACME CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Trusts what either the JVM's defaults or the extra CA trust. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            first.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            try {
                second.checkServerTrusted(chain, authType);
            } catch (java.security.cert.CertificateException e) {
                first.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
            all.addAll(List.of(second.getAcceptedIssuers()));
            return all.toArray(X509Certificate[]::new);
        }
    }

    /** Any http(s) directory URL; the HTTP client trusts the extra CA when one is configured. */
    private static final class Provider extends GenericAcmeProvider {
        private final SSLContext ssl;

        Provider(SSLContext ssl) {
            this.ssl = ssl;
        }

        @Override
        public HttpClient createHttpClient(NetworkSettings settings) {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(settings.getTimeout())
                    .proxy(settings.getProxySelector());
            if (settings.getAuthenticator() != null) {
                b.authenticator(settings.getAuthenticator());
            }
            if (ssl != null) {
                b.sslContext(ssl);
            }
            return b.build();
        }
    }
}
