package dev.fleetgate.agents.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's HTTPS certificate, as agents pin it: the SHA-256 of the leaf certificate of the key
 * store the HTTPS connector serves ({@code FLEETGATE_TLS_KEYSTORE} and
 * {@code FLEETGATE_TLS_KEYSTORE_PASSWORD}, prepared by the distribution's {@code bin/setenv}). Read
 * at each call, so a rotated certificate shows at once.
 */
@Component(service = CoreCertificate.class)
public final class CoreCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(CoreCertificate.class);

    private final Function<String, String> env;

    public CoreCertificate() {
        this(System::getenv);
    }

    CoreCertificate(Function<String, String> env) {
        this.env = env;
    }

    /** @return {@code sha256:<64 hex>} of the served certificate, or empty when the core serves no HTTPS */
    public Optional<String> fingerprint() {
        String path = env.apply("FLEETGATE_TLS_KEYSTORE");
        if (path == null || path.isBlank() || !Files.isRegularFile(Path.of(path))) {
            return Optional.empty();
        }
        String password = env.apply("FLEETGATE_TLS_KEYSTORE_PASSWORD");
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password == null ? null : password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Certificate leaf = store.getCertificate(alias);
                    if (leaf != null) {
                        return Optional.of(fingerprint(leaf.getEncoded()));
                    }
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            LOG.warn("cannot read the HTTPS key store {}: {}", path, e.toString());
            return Optional.empty();
        }
    }

    /** @return the HTTPS port ({@code FLEETGATE_HTTPS_PORT}, 8443) */
    public int httpsPort() {
        String port = env.apply("FLEETGATE_HTTPS_PORT");
        try {
            return port == null || port.isBlank() ? 8443 : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            return 8443;
        }
    }

    static String fingerprint(byte[] der) throws java.security.NoSuchAlgorithmException {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }

    static CoreCertificate of(Map<String, String> env) {
        return new CoreCertificate(env::get);
    }
}
