package dev.fleetgate.certificates.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fleetgate.certificates.CertificateState;

/**
 * ACME Renewal Information: a real Pebble issues and validates; Pebble 2.4 has no ARI, so {@link FaultyAcmeProxy}
 * adds a {@code renewalInfo} URL to its directory and answers it with a suggested window (only those two answers are
 * made up). The renewal time is then a random instant of the CA's window instead of 2/3 of the lifetime, it is
 * marked as coming from ARI, and the renewal's new order names the certificate it replaces. Ports 22470–22474
 * (Pebble), 22476 (http-01), 22477 (proxy).
 */
class AriIT {
    private static ProxiedPebble ca;
    private static FaultyAcmeProxy proxy;
    private static CertificateStore store;
    private static CertificateService certs;
    private static Instant windowStart;
    private static Instant windowEnd;

    @BeforeAll
    static void start() throws Exception {
        windowStart = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        windowEnd = windowStart.plus(Duration.ofDays(2));
        ca = new ProxiedPebble(22470, p -> p.ariWindow = new Instant[] {windowStart, windowEnd});
        proxy = ca.proxy;
        store = ca.store;
        certs = ca.certs;
    }

    @AfterAll
    static void stop() throws Exception {
        if (ca != null) {
            ca.close();
        }
    }

    @Test
    void theRenewalTimeComesFromTheCasWindowAndTheRenewalNamesWhatItReplaces() throws Exception {
        StoredCertificate requested = certs.request(List.of("ari.certs.test"));
        assertTrue(certs.runLocked(requested.id()));
        StoredCertificate c = store.get(requested.id()).orElseThrow();
        assertEquals(CertificateState.VALID, c.state(), () -> c.error());
        assertTrue(proxy.renewalInfoRequests.get() > 0, "the renewal information was asked for");
        assertTrue(c.ari(), "the renewal time comes from ARI");
        assertNotNull(c.renewAt());
        assertTrue(
                !c.renewAt().isBefore(windowStart) && !c.renewAt().isAfter(windowEnd),
                c.renewAt() + " within the CA's window " + windowStart + " .. " + windowEnd);
        assertEquals(c.renewAt(), c.nextAttemptAt());
        assertFalse(String.valueOf(proxy.lastNewOrderPayload).contains("replaces"), "a first order replaces nothing");

        certs.renew(c.id());
        assertTrue(certs.runLocked(c.id()));
        StoredCertificate renewed = store.get(c.id()).orElseThrow();
        assertEquals(CertificateState.VALID, renewed.state(), () -> renewed.error());
        assertEquals(c.version() + 1, renewed.version());
        assertTrue(
                String.valueOf(proxy.lastNewOrderPayload).contains("\"replaces\""),
                "the renewal's order names the certificate it replaces: " + proxy.lastNewOrderPayload);
        assertTrue(renewed.ari()
                && !renewed.renewAt().isBefore(windowStart)
                && !renewed.renewAt().isAfter(windowEnd));
    }
}
