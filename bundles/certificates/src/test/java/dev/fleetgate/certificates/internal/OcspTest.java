package dev.fleetgate.certificates.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.fleetgate.certificates.testing.OcspResponder;

/**
 * OCSP fetching and verification against OpenSSL's real responder ({@link OcspResponder}, ports 22730 and 22731):
 * good, revoked, expired, signed by another CA, garbage, and the responder / issuer lookup of a chain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OcspTest {
    private OcspResponder ca;
    private OcspResponder other;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        ca = new OcspResponder(22730, 5);
        other = new OcspResponder(22731, 5);
    }

    @AfterAll
    void stop() throws Exception {
        if (ca != null) {
            ca.close();
        }
        if (other != null) {
            other.close();
        }
    }

    @Test
    void aGoodCertificateThenRevokedIsReportedSoWithTheResponderTimes() throws Exception {
        List<X509Certificate> chain =
                Pem.readChain(ca.issue("good.ocsp.test", 4097, true).chainPem());
        assertEquals(ca.url(), Ocsp.responderUrl(chain.get(0)));
        X509Certificate issuer = Ocsp.issuer(chain);
        assertNotNull(issuer);

        Instant before = Instant.now().minusSeconds(1);
        Ocsp.Result good = Ocsp.fetch(http, ca.url(), chain.get(0), issuer, Duration.ofSeconds(10));
        assertEquals("good", good.status());
        assertNull(good.revokedAt());
        assertTrue(
                !good.thisUpdate().isBefore(before.minusSeconds(60)),
                good.thisUpdate().toString());
        assertEquals(Duration.ofMinutes(5), Duration.between(good.thisUpdate(), good.nextUpdate()));

        ca.revoke(4097);
        Ocsp.Result revoked = Ocsp.fetch(http, ca.url(), chain.get(0), issuer, Duration.ofSeconds(10));
        assertEquals("revoked", revoked.status());
        assertNotNull(revoked.revokedAt());

        // the stored DER verifies again (what the refresher keeps), and not after its nextUpdate
        CertificateID id = Ocsp.certificateId(chain.get(0), issuer);
        assertEquals(
                "revoked", Ocsp.verify(revoked.der(), id, issuer, Instant.now()).status());
        IOException expired = assertThrows(
                IOException.class,
                () -> Ocsp.verify(
                        revoked.der(), id, issuer, revoked.nextUpdate().plusSeconds(1)));
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
    }

    @Test
    void aResponseSignedForAnotherCaOrGarbageIsRefused() throws Exception {
        List<X509Certificate> mine =
                Pem.readChain(ca.issue("mine.ocsp.test", 4098, true).chainPem());
        List<X509Certificate> theirs =
                Pem.readChain(other.issue("theirs.ocsp.test", 4098, true).chainPem());
        // the other CA's responder answers about ITS certificate with the same serial: not signed by our issuer
        CertificateID theirId = Ocsp.certificateId(theirs.get(0), theirs.get(1));
        byte[] theirAnswer =
                other.respond(new OCSPReqBuilder().addRequest(theirId).build().getEncoded());
        CertificateID myId = Ocsp.certificateId(mine.get(0), mine.get(1));
        IOException e =
                assertThrows(IOException.class, () -> Ocsp.verify(theirAnswer, myId, mine.get(1), Instant.now()));
        assertTrue(e.getMessage().contains("not signed by the issuer"), e.getMessage());

        IOException garbage = assertThrows(
                IOException.class, () -> Ocsp.verify(new byte[] {1, 2, 3}, myId, mine.get(1), Instant.now()));
        assertTrue(garbage.getMessage().contains("not a valid OCSP response"), garbage.getMessage());
    }

    @Test
    void aResponderAtALinkLocalOrMetadataAddressIsNotAsked() throws Exception {
        List<X509Certificate> chain =
                Pem.readChain(ca.issue("ssrf.ocsp.test", 4100, true).chainPem());
        for (String url :
                List.of("http://169.254.169.254/latest", "http://[fe80::1]/", "http://metadata.google.internal/")) {
            IOException e = assertThrows(
                    IOException.class,
                    () -> Ocsp.fetch(http, url, chain.get(0), chain.get(1), Duration.ofSeconds(2)),
                    url);
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
        }
    }

    @Test
    void aLeafWithoutResponderOrAChainWithoutIssuerHasNothingToStaple() throws Exception {
        OcspResponder.Issued plain = ca.issue("plain.ocsp.test", 4099, false);
        List<X509Certificate> chain = Pem.readChain(plain.chainPem());
        assertNull(Ocsp.responderUrl(chain.get(0)));
        List<X509Certificate> leafOnly = List.of(chain.get(0));
        assertNull(Ocsp.issuer(leafOnly));
        assertArrayEquals(chain.get(1).getEncoded(), Ocsp.issuer(chain).getEncoded());
    }

    @Test
    void aResponseIsRefreshedAtHalfItsValidityAtMostMaxRefreshLater() {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        OcspRefresher twelveHours = new OcspRefresher(null, null, null, null, Duration.ofHours(12), null);
        Ocsp.Result week =
                new Ocsp.Result("good", new byte[0], now.minusSeconds(3600), now.plus(Duration.ofDays(7)), null);
        // half of a week is later than 12 h: 12 h
        assertEquals(now.plus(Duration.ofHours(12)), twelveHours.nextFetch(week, now));
        Ocsp.Result tenMinutes = new Ocsp.Result("good", new byte[0], now, now.plus(Duration.ofMinutes(10)), null);
        assertEquals(now.plus(Duration.ofMinutes(5)), twelveHours.nextFetch(tenMinutes, now));
        Ocsp.Result noNextUpdate = new Ocsp.Result("good", new byte[0], now, null, null);
        assertEquals(now.plus(Duration.ofHours(12)), twelveHours.nextFetch(noNextUpdate, now));
        Ocsp.Result almostExpired =
                new Ocsp.Result("good", new byte[0], now.minusSeconds(600), now.plusSeconds(1), null);
        assertEquals(now.plusSeconds(1), twelveHours.nextFetch(almostExpired, now), "never sooner than 1 s");
    }
}
