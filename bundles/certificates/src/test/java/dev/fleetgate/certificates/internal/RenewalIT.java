package dev.fleetgate.certificates.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.certificates.CertificateState;
import dev.fleetgate.certificates.testing.Pebble;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.security.SecretBox;

/**
 * Renewal forced by a short Pebble validity (30 s, Pebble 2.4 offers no ARI): the scheduler renews at about 2/3
 * of the lifetime, on its own, and the expiring alert fires (less than 14 days left). Ports 21410–21414, 21415.
 */
class RenewalIT {

    @Test
    void theSchedulerRenewsAtTwoThirdsOfTheLifetime() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                Pebble pebble = new Pebble(21410, 21415, Map.of(), 30);
                Fakes.ChallengeServer challenges = new Fakes.ChallengeServer(21415)) {
            CertificateStore store = Fakes.store(db);
            SecretBox box = Fakes.box();
            Fakes.Events events = new Fakes.Events();
            CertificatesConfig config =
                    Fakes.config(pebble.directoryUrl(), pebble.caFile().toString(), true);
            CertificateService certs = new CertificateService(
                    store,
                    box,
                    new Fakes.Desired(),
                    events,
                    new Fakes.Services(),
                    new AcmeServer(config.directoryUrl(), config.caFile(), store, box),
                    challenges,
                    config);
            try {
                certs.saveAccount("admin@example.test", true);
                StoredCertificate c = certs.request(List.of("short.certs.test"));
                StoredCertificate first = await(store, c, 1, Duration.ofSeconds(30));
                long life =
                        Duration.between(first.notBefore(), first.notAfter()).toSeconds();
                assertTrue(life <= 31, "pebble issued a short-lived certificate: " + life + " s");
                long renewIn =
                        Duration.between(first.notBefore(), first.renewAt()).toMillis();
                assertTrue(
                        renewIn >= life * 1000 * 2 / 3 - 1000 && renewIn <= life * 1000 * 3 / 4 + 1000,
                        "renewal at 2/3..3/4 of the lifetime: " + renewIn + " ms of " + life + " s");
                assertFalse(first.ari());

                StoredCertificate second = await(store, c, 2, Duration.ofSeconds(45));
                // the events follow the stored renewal (same thread, just after): wait for them, not a race
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (events.topic(CertificateService.TOPIC_PREFIX + "RENEWED").isEmpty()
                        && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertEquals(CertificateState.VALID, second.state());
                assertTrue(second.notBefore().isAfter(first.notBefore())
                        || !second.serial().equals(first.serial()));
                assertTrue(events.topic(AlertTopics.FIRING).stream()
                        .anyMatch(e -> "certificate.expiring".equals(e.getProperty("kind"))
                                && c.id().toString().equals(e.getProperty("subject"))));
                assertEquals(
                        1,
                        events.topic(CertificateService.TOPIC_PREFIX + "RENEWED")
                                .size());
            } finally {
                certs.deactivate();
            }
        }
    }

    private static StoredCertificate await(CertificateStore store, StoredCertificate c, int version, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            StoredCertificate now = store.get(c.id()).orElseThrow();
            if (now.version() >= version && now.state() == CertificateState.VALID) {
                return now;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("version " + version + " not issued in " + timeout + ": "
                + store.get(c.id()).orElseThrow());
    }
}
