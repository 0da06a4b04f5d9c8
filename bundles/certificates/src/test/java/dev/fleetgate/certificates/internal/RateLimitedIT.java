package dev.fleetgate.certificates.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.certificates.CertificateState;

/**
 * The CA's {@code rateLimited} answer: a real Pebble issues and validates (http-01 against {@link Fakes.ChallengeServer}),
 * and {@link FaultyAcmeProxy} in front of it answers one {@code newOrder} with 429 {@code rateLimited} and
 * {@code Retry-After: 3600} (Pebble 2.4 has no rate limits: this single response is injected, nothing else). The
 * renewal ends FAILED with the CA's problem and an alert, the issued certificate keeps serving, the next attempt
 * waits for the CA's Retry-After (longer than the backoff), and the scheduler does not ask again meanwhile.
 * Ports 22410–22414 (Pebble), 22416 (http-01), 22417 (proxy).
 */
class RateLimitedIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ProxiedPebble ca;
    private static FaultyAcmeProxy proxy;
    private static CertificateStore store;
    private static Fakes.Events events;
    private static CertificateService certs;

    @BeforeAll
    static void start() throws Exception {
        ca = new ProxiedPebble(22410, p -> {});
        proxy = ca.proxy;
        store = ca.store;
        events = ca.events;
        certs = ca.certs;
    }

    @AfterAll
    static void stop() throws Exception {
        if (ca != null) {
            ca.close();
        }
    }

    @Test
    void aRateLimitedRenewalFailsWithTheCasProblemKeepsTheCertificateAndWaitsForRetryAfter() throws Exception {
        StoredCertificate issued = certs.request(List.of("limited.certs.test"));
        assertTrue(certs.runLocked(issued.id()));
        StoredCertificate first = store.get(issued.id()).orElseThrow();
        assertEquals(CertificateState.VALID, first.state(), () -> first.error());
        assertEquals(0, proxy.refused.get(), "issued through the proxy without a fault");

        proxy.rateLimitNewOrders.set(1);
        certs.renew(first.id());
        Instant asked = Instant.now();
        assertTrue(certs.runLocked(first.id()));
        StoredCertificate failed = store.get(first.id()).orElseThrow();
        assertEquals(1, proxy.refused.get(), "the injected 429 was answered");
        assertEquals(CertificateState.FAILED, failed.state());
        assertTrue(failed.error().startsWith("rate limited by the CA"), failed.error());
        JsonNode problem = JSON.readTree(failed.problem());
        assertEquals(
                "urn:ietf:params:acme:error:rateLimited", problem.path("type").asText(), failed.problem());
        assertEquals(first.certPem(), failed.certPem(), "the issued certificate keeps serving");
        assertEquals(first.version(), failed.version());
        // Retry-After (3600 s) wins over the first backoff step (60 s)
        assertTrue(!failed.nextAttemptAt().isBefore(asked.plusSeconds(3590)), "next attempt " + failed.nextAttemptAt());
        List<Event> alerts = events.topic(AlertTopics.FIRING).stream()
                .filter(e -> first.id().toString().equals(e.getProperty("subject")))
                .toList();
        assertEquals(1, alerts.size());
        assertEquals("certificate.failed", alerts.get(0).getProperty("kind"));

        // never a loop: scheduler passes meanwhile ask the CA nothing
        int orders = proxy.newOrders.get();
        for (int i = 0; i < 3; i++) {
            certs.tick();
        }
        assertEquals(orders, proxy.newOrders.get(), "no new order before Retry-After");
        assertTrue(store.due(100).stream().noneMatch(first.id()::equals));

        // the limit lifted (as the CA's window passes): renewing works again through the same proxy
        certs.renew(first.id());
        assertTrue(certs.runLocked(first.id()));
        StoredCertificate renewed = store.get(first.id()).orElseThrow();
        assertEquals(CertificateState.VALID, renewed.state(), () -> renewed.error());
        assertEquals(first.version() + 1, renewed.version());
    }
}
