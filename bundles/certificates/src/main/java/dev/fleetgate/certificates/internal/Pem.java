package dev.fleetgate.certificates.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM reading and writing of certificate chains and private keys. */
public final class Pem {
    private Pem() {}

    /**
     * @return a new P-256 key pair from the JDK's provider (acme4j's KeyPairUtils needs BouncyCastle registered as
     *         a JCA provider, which a bundle must not do for the whole JVM)
     */
    public static KeyPair newEcKey() {
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the private key and then the public key, PEM ({@code PRIVATE KEY} = PKCS#8, {@code PUBLIC KEY}) */
    public static String keyPair(KeyPair pair) {
        return privateKey(pair) + block("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /** @return the private key alone, PKCS#8 PEM (what a web server reads) */
    public static String privateKey(KeyPair pair) {
        return block("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    private static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /**
     * Reads keys with the JDK's providers (BouncyCastle only parses the PEM: its converter would ask the JDK for
     * an "ECDSA" key factory, which only BouncyCastle's provider has).
     *
     * @param pem a private key (PKCS#8, PKCS#1 RSA or SEC1 EC), optionally followed by its public key
     * @return the key pair (public part null when the PEM holds none)
     * @throws IllegalArgumentException when it is not a readable unencrypted RSA or EC key
     */
    public static KeyPair readKeyPair(String pem) {
        PrivateKey priv = null;
        PublicKey pub = null;
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PEMKeyPair kp) {
                    priv = priv == null ? privateKey(kp.getPrivateKeyInfo()) : priv;
                    pub = pub == null && kp.getPublicKeyInfo() != null ? publicKey(kp.getPublicKeyInfo()) : pub;
                } else if (o instanceof PrivateKeyInfo info && priv == null) {
                    priv = privateKey(info);
                } else if (o instanceof SubjectPublicKeyInfo info && pub == null) {
                    pub = publicKey(info);
                }
            }
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable private key");
        }
        if (priv == null) {
            throw new IllegalArgumentException("not an unencrypted private key");
        }
        return new KeyPair(pub, priv);
    }

    private static String algorithm(AlgorithmIdentifier id) {
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(id.getAlgorithm())) {
            return "EC";
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(id.getAlgorithm())) {
            return "RSA";
        }
        throw new IllegalArgumentException("only RSA and EC keys are supported");
    }

    private static PrivateKey privateKey(PrivateKeyInfo info)
            throws IOException, java.security.GeneralSecurityException {
        return KeyFactory.getInstance(algorithm(info.getPrivateKeyAlgorithm()))
                .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }

    private static PublicKey publicKey(SubjectPublicKeyInfo info)
            throws IOException, java.security.GeneralSecurityException {
        return KeyFactory.getInstance(algorithm(info.getAlgorithm()))
                .generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    }

    /**
     * @param pem one or more certificates, leaf first
     * @return the chain
     * @throws IllegalArgumentException when it holds none or is malformed
     */
    public static List<X509Certificate> readChain(String pem) {
        try {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : all) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("holds no certificate");
            }
            return out;
        } catch (CertificateException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a readable PEM certificate chain");
        }
    }

    /** @return the chain as PEM */
    public static String chain(List<X509Certificate> chain) {
        try (StringWriter out = new StringWriter();
                JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (X509Certificate c : chain) {
                w.writeObject(c);
            }
            w.flush();
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return whether the public key of the certificate belongs to the private key */
    public static boolean matches(X509Certificate cert, KeyPair pair) {
        if (pair.getPublic() != null) {
            return Arrays.equals(
                    cert.getPublicKey().getEncoded(), pair.getPublic().getEncoded());
        }
        try {
            java.security.Signature s = java.security.Signature.getInstance(
                    "RSA".equals(pair.getPrivate().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA");
            byte[] data = "fleetgate".getBytes(StandardCharsets.US_ASCII);
            s.initSign(pair.getPrivate());
            s.update(data);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(data);
            return s.verify(sig);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /** @return the DNS names of the certificate's subjectAltName, lower case */
    public static List<String> dnsNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // none
        }
        return out;
    }
}
