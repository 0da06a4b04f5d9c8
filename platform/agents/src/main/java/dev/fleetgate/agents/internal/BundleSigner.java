package dev.fleetgate.agents.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.security.SecretBox;

/**
 * The core's Ed25519 bundle-signing key: made on first use, kept in {@code bundle_signing_keys} with
 * its private half sealed by the master key, shared by every core of the database. Signs
 * {@code fleetgate-bundle-v1:<symbolicName>:<sha256>} for each bundle deployed to agents
 * (docs/protocol.md, "Bundle signatures").
 */
@Component(service = BundleSigner.class)
public final class BundleSigner {
    public static final String ALGORITHM = "Ed25519";

    private final DataSource dataSource;
    private final SecretBox box;
    private volatile KeyPair keys;

    @Activate
    public BundleSigner(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference AgentsSchema schema,
            @Reference SecretBox box) {
        this.dataSource = dataSource;
        this.box = box;
    }

    /** @return the message signed for a bundle */
    public static byte[] message(String symbolicName, String sha256) {
        return ("fleetgate-bundle-v1:" + symbolicName + ":" + sha256).getBytes(StandardCharsets.UTF_8);
    }

    /** @return the public key, base64 of its X.509 SubjectPublicKeyInfo (what agents receive) */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(keys().getPublic().getEncoded());
    }

    /** @return the signature of a bundle, base64 */
    public String sign(String symbolicName, String sha256) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(keys().getPrivate());
            signer.update(message(symbolicName, sha256));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign bundle " + symbolicName, e);
        }
    }

    private KeyPair keys() {
        KeyPair k = keys;
        if (k == null) {
            synchronized (this) {
                k = keys;
                if (k == null) {
                    k = loadOrCreate();
                    keys = k;
                }
            }
        }
        return k;
    }

    /** Several cores may start together: the first insert wins, every core then reads that row. */
    private KeyPair loadOrCreate() {
        KeyPair stored = load();
        if (stored != null) {
            return stored;
        }
        KeyPair fresh;
        try {
            fresh = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no Ed25519 in this JVM", e);
        }
        String publicKey = Base64.getEncoder().encodeToString(fresh.getPublic().getEncoded());
        String sealed = box.encryptBytes(fresh.getPrivate().getEncoded());
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bundle_signing_keys (id, algorithm, public_key,"
                    + " private_key) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                ps.setString(1, ALGORITHM);
                ps.setString(2, publicKey);
                ps.setString(3, sealed);
                return ps.executeUpdate();
            }
        });
        KeyPair winner = load();
        if (winner == null) {
            throw new IllegalStateException("bundle-signing key vanished");
        }
        return winner;
    }

    private KeyPair load() {
        String[] row = Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT algorithm, public_key, private_key FROM bundle_signing_keys WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
            }
        });
        if (row == null) {
            return null;
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(row[0]);
            PublicKey publicKey = factory.generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(row[1])));
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(box.decryptBytes(row[2])));
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unreadable bundle-signing key", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the bundle-signing key was sealed with another master key", e);
        }
    }
}
