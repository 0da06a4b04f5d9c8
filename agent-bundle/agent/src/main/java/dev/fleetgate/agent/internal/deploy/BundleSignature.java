package dev.fleetgate.agent.internal.deploy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Bundle signatures (docs/protocol.md, "Bundle signatures"): the core signs, with its Ed25519
 * bundle-signing key, the message {@code fleetgate-bundle-v1:<symbolicName>:<sha256>} of every
 * bundle it deploys; the agent verifies it with the public key it received at enrolment before it
 * downloads or installs the jar, and still checks the jar's SHA-256.
 */
public final class BundleSignature {

    public static final String ALGORITHM = "Ed25519";

    private BundleSignature() {}

    /** @return the signed message for a bundle */
    public static byte[] message(String symbolicName, String sha256) {
        return ("fleetgate-bundle-v1:" + symbolicName + ":" + sha256).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param base64 the key as sent by the core: base64 of its X.509 SubjectPublicKeyInfo
     * @throws IllegalArgumentException when it is not an Ed25519 public key
     */
    public static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /**
     * @param key the core's bundle-signing key, or {@code null} when the agent has none
     * @throws SecurityException with the reason when the bundle must not be installed
     */
    public static void verify(PublicKey key, DesiredBundle bundle) {
        if (key == null) {
            throw new SecurityException("no bundle-signing key from the core (enrol this agent again): "
                    + bundle.symbolicName() + " not installed");
        }
        if (bundle.signature() == null || bundle.signature().isEmpty()) {
            throw new SecurityException("unsigned bundle " + bundle.symbolicName() + " refused; not installed");
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message(bundle.symbolicName(), bundle.sha256()));
            valid = verifier.verify(Base64.getDecoder().decode(bundle.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            throw new SecurityException("invalid signature for bundle " + bundle.symbolicName()
                    + " (not signed by the core's bundle-signing key); not installed");
        }
    }
}
