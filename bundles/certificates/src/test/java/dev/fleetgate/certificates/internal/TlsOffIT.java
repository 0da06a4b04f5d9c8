package dev.fleetgate.certificates.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fleetgate.certificates.CertificateState;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.security.SecretBox;

/**
 * A service's certificate is not ordered or renewed while the service's {@code tls} is off (it is kept), and is due
 * again when the service switches back to auto. No CA is needed: a certificate that is ordered ends FAILED (no terms
 * agreed, and the directory at 127.0.0.1:22749 does not exist), which shows when it ran.
 */
class TlsOffIT {
    private static TestDatabase db;
    private static CertificateStore store;
    private static Fakes.Services services;
    private static CertificateService certs;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        store = Fakes.store(db);
        SecretBox box = Fakes.box();
        services = new Fakes.Services();
        CertificatesConfig config = Fakes.config("https://127.0.0.1:22749/dir", "");
        certs = new CertificateService(
                store,
                box,
                new Fakes.Desired(),
                new Fakes.Events(),
                services,
                new AcmeServer(config.directoryUrl(), config.caFile(), store, box),
                new ChallengePublisher() {
                    @Override
                    public void publish(java.util.UUID certificateId, String domain, String token, String auth) {}

                    @Override
                    public String awaitServed(Duration timeout) {
                        return null;
                    }
                },
                config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (certs != null) {
            certs.deactivate();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aServiceSwitchedOffKeepsItsCertificateUnorderedUntilItIsAutoAgain() throws Exception {
        ServiceDirectory.ServiceInfo svc = services.add("paused", "paused.certs.test");
        services.setTls(svc.id(), new ServiceDirectory.TlsSetting("auto", null, true, null));
        certs.serviceChanged(svc.id(), "UPDATED");
        StoredCertificate c =
                store.forService(java.util.UUID.fromString(svc.id())).orElseThrow();
        assertEquals(CertificateState.PENDING, c.state());
        assertFalse(c.nextAttemptAt().isAfter(Instant.now()), "due at once");

        services.setTls(svc.id(), new ServiceDirectory.TlsSetting("off", null, true, null));
        certs.serviceChanged(svc.id(), "UPDATED");
        certs.tick();
        StoredCertificate paused = store.get(c.id()).orElseThrow();
        assertEquals(CertificateState.PENDING, paused.state(), "not ordered while off: " + paused.error());
        assertEquals(0, paused.failures());
        assertTrue(
                paused.nextAttemptAt().isAfter(Instant.now().plus(Duration.ofMinutes(50))),
                "looked at again in an hour: " + paused.nextAttemptAt());
        assertEquals(List.of("paused.certs.test"), paused.domains(), "kept");

        services.setTls(svc.id(), new ServiceDirectory.TlsSetting("auto", null, true, null));
        certs.serviceChanged(svc.id(), "UPDATED");
        StoredCertificate again = store.get(c.id()).orElseThrow();
        assertFalse(again.nextAttemptAt().isAfter(Instant.now()), "due again: " + again.nextAttemptAt());
        certs.tick(); // ordered now: it fails (no terms agreed, no CA), which shows it ran
        assertEquals(CertificateState.FAILED, store.get(c.id()).orElseThrow().state());
    }

    @Test
    void aValidCertificatePastItsRenewalTimeWasPausedOnlyWhenNotDue() {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        StoredCertificate postponed = cert(CertificateState.VALID, now.minusSeconds(60), now.plusSeconds(3600));
        assertTrue(CertificateService.wasPaused(postponed, now));
        assertFalse(
                CertificateService.wasPaused(
                        cert(CertificateState.VALID, now.plusSeconds(60), now.plusSeconds(60)), now),
                "renewal not yet due");
        assertFalse(
                CertificateService.wasPaused(
                        cert(CertificateState.FAILED, now.minusSeconds(60), now.plusSeconds(600)), now),
                "backing off");
        assertFalse(
                CertificateService.wasPaused(
                        cert(CertificateState.VALID, now.minusSeconds(60), now.minusSeconds(1)), now),
                "already due");
    }

    private static StoredCertificate cert(CertificateState state, Instant renewAt, Instant nextAttemptAt) {
        return new StoredCertificate(
                java.util.UUID.randomUUID(),
                "acme",
                java.util.UUID.randomUUID(),
                List.of("a.test"),
                state,
                1,
                "PEM",
                "KEY",
                null,
                null,
                null,
                null,
                renewAt,
                false,
                null,
                null,
                0,
                nextAttemptAt,
                null,
                null,
                0,
                null,
                null);
    }
}
