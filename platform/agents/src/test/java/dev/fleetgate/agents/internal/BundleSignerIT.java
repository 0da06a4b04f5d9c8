package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.fleetgate.security.internal.AesGcmSecretBox;

/** The bundle-signing key: made once, shared by the cores of a database, sealed at rest; signatures verify. */
class BundleSignerIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private static boolean verifies(String publicKey, String name, String sha, String signature) throws Exception {
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(key);
        v.update(BundleSigner.message(name, sha));
        return v.verify(Base64.getDecoder().decode(signature));
    }

    @Test
    void signsWithOneKeySharedByEveryCoreAndSealedAtRest() throws Exception {
        String sha = "ab".repeat(32);
        BundleSigner first = new BundleSigner(db.dataSource(), null, Core.TEST_BOX);
        BundleSigner second = new BundleSigner(db.dataSource(), null, Core.TEST_BOX);
        String key = first.publicKey();
        assertEquals(key, second.publicKey(), "a second core uses the key the first made");

        String signature = second.sign("dev.fleetgate.agent.probe", sha);
        assertTrue(verifies(key, "dev.fleetgate.agent.probe", sha, signature));
        assertFalse(
                verifies(key, "dev.fleetgate.agent.probe", "cd".repeat(32), signature), "bound to the jar's SHA-256");
        assertFalse(verifies(key, "dev.fleetgate.agent.other", sha, signature), "bound to the bundle's name");

        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), min(private_key) FROM bundle_signing_keys")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            String stored = rs.getString(2);
            assertTrue(stored.startsWith("v1:"), "sealed by the master key: " + stored.substring(0, 3));
        }

        BundleSigner otherMaster = new BundleSigner(db.dataSource(), null, new AesGcmSecretBox(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8
        }));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> otherMaster.sign("x", sha));
        assertTrue(e.getMessage().contains("another master key"), e.getMessage());
    }

    @Test
    void theTokenAnswerCarriesTheCertificatePinAndACommandLine() {
        Enrolment.Token with = new Enrolment.Token("tok", java.time.Instant.EPOCH, "sha256:" + "0f".repeat(32), 8443);
        assertEquals(
                "fleetgate-agent --core https://core.lan:8443 --token tok --core-fingerprint sha256:" + "0f".repeat(32),
                with.command("core.lan"));
        assertEquals(
                "fleetgate-agent --core https://[::1]:8443 --token tok --core-fingerprint sha256:" + "0f".repeat(32),
                with.command("::1"));
        assertEquals(
                "fleetgate-agent --core http://127.0.0.1:<http port> --token tok",
                new Enrolment.Token("tok", java.time.Instant.EPOCH, null, 8443).command("core.lan"),
                "no HTTPS: local agents only");
        assertTrue(CoreCertificate.of(Map.of()).fingerprint().isEmpty(), "no HTTPS key store: no pin");
        assertEquals(
                9443, CoreCertificate.of(Map.of("FLEETGATE_HTTPS_PORT", "9443")).httpsPort());
    }
}
