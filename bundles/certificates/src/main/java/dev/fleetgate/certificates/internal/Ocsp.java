package dev.fleetgate.certificates.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * OCSP for stapling (RFC 6960): the responder named in a leaf's Authority Information Access, one request for the
 * leaf (POST, no nonce: responders answer pre-signed responses), and the answer verified the way a client will:
 * signed by the issuer or by a responder certificate the issuer delegated ({@code id-kp-OCSPSigning}), for this
 * leaf, within thisUpdate/nextUpdate. Uses BouncyCastle's OCSP classes with the JDK's JCA providers (no BC provider
 * is registered).
 */
final class Ocsp {
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** Clock skew tolerated on thisUpdate (as nginx and OpenSSL: 5 minutes). */
    static final Duration SKEW = Duration.ofMinutes(5);

    /** The names proxy's TargetPolicy refuses too (that class is internal to the proxy module). */
    private static final java.util.Set<String> METADATA_NAMES = java.util.Set.of(
            "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal");
    /** fd00:ec2::254, the IPv6 address of AWS's instance metadata service. */
    private static final byte[] AWS_IPV6_METADATA = {
        (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
    };

    private Ocsp() {}

    /**
     * @param status     good, revoked or unknown
     * @param der        the response as the responder sent it
     * @param nextUpdate null when the responder gave none
     * @param revokedAt  the revocation time, when revoked
     */
    record Result(String status, byte[] der, Instant thisUpdate, Instant nextUpdate, Instant revokedAt) {}

    /** @return the first http(s) OCSP responder URL of the leaf's AIA, or null when it names none */
    static String responderUrl(X509Certificate leaf) {
        byte[] ext = leaf.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return null;
        }
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1Primitive.fromByteArray(DEROctetString.getInstance(ext).getOctets()));
            for (AccessDescription d : aia.getAccessDescriptions()) {
                GeneralName n = d.getAccessLocation();
                if (AccessDescription.id_ad_ocsp.equals(d.getAccessMethod())
                        && n.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    String url = ASN1IA5String.getInstance(n.getName()).getString();
                    String lower = url.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("http://") || lower.startsWith("https://")) {
                        return url;
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** The issuer of {@code leaf} in {@code chain} (the next certificate, when it signed the leaf), or null. */
    static X509Certificate issuer(List<X509Certificate> chain) {
        if (chain.size() < 2) {
            return null;
        }
        X509Certificate leaf = chain.get(0);
        for (X509Certificate c : chain.subList(1, chain.size())) {
            if (c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                try {
                    leaf.verify(c.getPublicKey());
                    return c;
                } catch (java.security.GeneralSecurityException e) {
                    // not this one
                }
            }
        }
        return null;
    }

    /** Asks {@code url} for the status of {@code leaf} and verifies the answer. */
    static Result fetch(HttpClient http, String url, X509Certificate leaf, X509Certificate issuer, Duration timeout)
            throws IOException, InterruptedException {
        URI uri = URI.create(url);
        refuseLinkLocal(uri);
        CertificateID id = certificateId(leaf, issuer);
        byte[] request;
        try {
            request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        } catch (OCSPException e) {
            throw new IOException("cannot build the OCSP request: " + e.getMessage(), e);
        }
        HttpResponse<InputStream> answer = http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Content-Type", "application/ocsp-request")
                        .header("Accept", "application/ocsp-response")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] der;
        try (InputStream in = answer.body()) {
            der = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (answer.statusCode() != 200) {
            throw new IOException("the OCSP responder answered HTTP " + answer.statusCode());
        }
        if (der.length > MAX_RESPONSE_BYTES) {
            throw new IOException("the OCSP response is larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        return verify(der, id, issuer, Instant.now());
    }

    /**
     * The URL comes from an uploaded certificate: never let it point the core at link-local or cloud metadata
     * addresses (as upstream targets, CONTRIBUTING's security rules). Checked on the resolved addresses before the
     * request; a name re-resolving to another address between the check and the connection is not caught.
     */
    static void refuseLinkLocal(URI uri) throws IOException {
        String host = uri.getHost();
        if (host == null) {
            throw new IOException("the OCSP URL has no host");
        }
        if (METADATA_NAMES.contains(host.toLowerCase(Locale.ROOT))) {
            throw new IOException("the OCSP responder " + host + " is a metadata address: refused");
        }
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (a.isLinkLocalAddress() || java.util.Arrays.equals(a.getAddress(), AWS_IPV6_METADATA)) {
                throw new IOException("the OCSP responder " + host + " is a link-local or metadata address: refused");
            }
        }
    }

    static CertificateID certificateId(X509Certificate leaf, X509Certificate issuer) throws IOException {
        try {
            return new CertificateID(
                    digests().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer),
                    leaf.getSerialNumber());
        } catch (OCSPException | OperatorCreationException | CertificateEncodingException e) {
            throw new IOException("cannot make the OCSP certificate id: " + e.getMessage(), e);
        }
    }

    /** Verifies a response for {@code id} as a client would; IOException says why it is not usable. */
    static Result verify(byte[] der, CertificateID id, X509Certificate issuer, Instant now) throws IOException {
        OCSPResp resp;
        try {
            resp = new OCSPResp(der);
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a valid OCSP response: " + e.getMessage(), e);
        }
        try {
            if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
                throw new IOException("the OCSP responder answered " + responseStatus(resp.getStatus()));
            }
            if (!(resp.getResponseObject() instanceof BasicOCSPResp basic)) {
                throw new IOException("the OCSP response is not a basic response");
            }
            if (!signedByIssuerOrDelegate(basic, issuer, now)) {
                throw new IOException("the OCSP response is not signed by the issuer or a responder it delegated");
            }
            SingleResp single = null;
            for (SingleResp s : basic.getResponses()) {
                if (s.getCertID().getSerialNumber().equals(id.getSerialNumber())
                        && s.getCertID().matchesIssuer(new JcaX509CertificateHolder(issuer), digests())) {
                    single = s;
                    break;
                }
            }
            if (single == null) {
                throw new IOException("the OCSP response holds no status for this certificate");
            }
            Instant thisUpdate = single.getThisUpdate().toInstant();
            Instant nextUpdate = single.getNextUpdate() == null
                    ? null
                    : single.getNextUpdate().toInstant();
            if (thisUpdate.isAfter(now.plus(SKEW))) {
                throw new IOException("the OCSP response's thisUpdate " + thisUpdate + " is in the future");
            }
            if (nextUpdate != null && !nextUpdate.isAfter(now)) {
                throw new IOException("the OCSP response expired at " + nextUpdate);
            }
            CertificateStatus status = single.getCertStatus();
            if (status == CertificateStatus.GOOD) {
                return new Result("good", der, thisUpdate, nextUpdate, null);
            }
            if (status instanceof RevokedStatus r) {
                return new Result(
                        "revoked",
                        der,
                        thisUpdate,
                        nextUpdate,
                        r.getRevocationTime().toInstant());
            }
            return new Result("unknown", der, thisUpdate, nextUpdate, null);
        } catch (OCSPException | OperatorCreationException | CertificateEncodingException e) {
            throw new IOException("not a valid OCSP response: " + e.getMessage(), e);
        } catch (RuntimeException e) { // malformed DER surfaces as runtime exceptions in BouncyCastle
            throw new IOException("not a valid OCSP response: " + e, e);
        }
    }

    private static boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509Certificate issuer, Instant now)
            throws OCSPException, OperatorCreationException, CertificateEncodingException {
        ContentVerifierProvider byIssuer = new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey());
        if (basic.isSignatureValid(byIssuer)) {
            return true;
        }
        for (X509CertificateHolder responder : basic.getCerts()) {
            try {
                if (responder.getIssuer().equals(new JcaX509CertificateHolder(issuer).getSubject())
                        && responder.isSignatureValid(byIssuer)
                        && responder.isValidOn(java.util.Date.from(now))
                        && ocspSigning(responder)
                        && basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder))) {
                    return true;
                }
            } catch (org.bouncycastle.cert.CertException | java.security.cert.CertificateException e) {
                // not a usable responder certificate
            }
        }
        return false;
    }

    private static boolean ocspSigning(X509CertificateHolder responder) {
        org.bouncycastle.asn1.x509.ExtendedKeyUsage eku =
                org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions());
        return eku != null && eku.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning);
    }

    private static DigestCalculatorProvider digests() throws OperatorCreationException {
        return new JcaDigestCalculatorProviderBuilder().build();
    }

    private static String responseStatus(int status) {
        return switch (status) {
            case OCSPResp.MALFORMED_REQUEST -> "malformedRequest";
            case OCSPResp.INTERNAL_ERROR -> "internalError";
            case OCSPResp.TRY_LATER -> "tryLater";
            case OCSPResp.SIG_REQUIRED -> "sigRequired";
            case OCSPResp.UNAUTHORIZED -> "unauthorized";
            default -> "status " + status;
        };
    }
}
