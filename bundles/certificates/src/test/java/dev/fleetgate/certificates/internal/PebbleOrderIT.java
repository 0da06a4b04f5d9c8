package dev.fleetgate.certificates.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.certificates.CertificateState;
import dev.fleetgate.certificates.testing.Pebble;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.security.SecretBox;

/**
 * Orders against a real Pebble with real http-01 validation (Pebble fetches the tokens from
 * {@link Fakes.ChallengeServer} on 127.0.0.1:21406, names resolved by pebble-challtestsrv). Ports 21400–21404 and 21406.
 */
class PebbleOrderIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static Pebble pebble;
    private static Fakes.ChallengeServer challenges;
    private static CertificateStore store;
    private static SecretBox box;
    private static Fakes.Events events;
    private static Fakes.Desired desired;
    private static Fakes.Services services;
    private static CertificateService certs;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        store = Fakes.store(db);
        box = Fakes.box();
        // Pebble reuses a valid authorization always: the second order of the same names must skip it.
        pebble = new Pebble(21400, 21406, Map.of("PEBBLE_AUTHZREUSE", "100", "PEBBLE_WFE_NONCEREJECT", "5"));
        challenges = new Fakes.ChallengeServer(pebble.httpPort());
        events = new Fakes.Events();
        desired = new Fakes.Desired();
        services = new Fakes.Services();
        CertificatesConfig config =
                Fakes.config(pebble.directoryUrl(), pebble.caFile().toString());
        certs = new CertificateService(
                store,
                box,
                desired,
                events,
                services,
                new AcmeServer(config.directoryUrl(), config.caFile(), store, box),
                challenges,
                config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (certs != null) {
            certs.deactivate();
        }
        if (challenges != null) {
            challenges.close();
        }
        if (pebble != null) {
            pebble.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static void agree() {
        certs.saveAccount("admin@example.test", true);
    }

    private static StoredCertificate run(UUID id) throws Exception {
        assertTrue(certs.runLocked(id), "the advisory lock is free");
        return store.get(id).orElseThrow();
    }

    @Test
    void withoutAgreedTermsTheOrderFailsAndIsNotRetriedAtOnce() throws Exception {
        certs.saveAccount("admin@example.test", false);
        try {
            StoredCertificate c = run(certs.request(List.of("terms.certs.test")).id());
            assertEquals(CertificateState.FAILED, c.state());
            assertTrue(c.error().contains("terms of service"), c.error());
            assertTrue(c.nextAttemptAt().isAfter(Instant.now().plusSeconds(30)), "backoff");
            assertTrue(store.due(100).stream().noneMatch(c.id()::equals));
        } finally {
            agree();
        }
    }

    @Test
    void http01IssuesACertificateOfEveryDomainAndTheNextOrderSkipsValidAuthorizations() throws Exception {
        agree();
        StoredCertificate c = run(
                certs.request(List.of("shop.certs.test", "www.shop.certs.test")).id());
        assertEquals(CertificateState.VALID, c.state(), () -> c.error());
        X509Certificate leaf = Pem.readChain(c.certPem()).get(0);
        assertEquals(
                List.of("shop.certs.test", "www.shop.certs.test"),
                Pem.dnsNames(leaf).stream().sorted().toList());
        assertTrue(Pem.matches(leaf, Pem.readKeyPair(box.decrypt(c.keySealed()))));
        assertFalse(c.keySealed().contains("PRIVATE KEY"), "the key is stored sealed");
        assertEquals(1, c.version());
        assertNotNull(c.renewAt());
        assertTrue(c.renewAt().isAfter(c.notBefore()) && c.renewAt().isBefore(c.notAfter()));
        assertEquals(c.renewAt(), c.nextAttemptAt());
        assertTrue(store.order(c.id()).isEmpty(), "the finished order is forgotten");
        assertTrue(store.challenges().isEmpty(), "its tokens are withdrawn");
        assertEquals(
                1,
                events.topic(CertificateService.TOPIC_PREFIX + "ISSUED").stream()
                        .filter(e -> c.id().toString().equals(e.getProperty("certificateId")))
                        .count());
        assertTrue(desired.changed.contains("proxy"));

        // renew now: the CA reuses both valid authorizations, nothing is published or fetched again
        int published = challenges.published.get();
        int fetched = challenges.fetched.get();
        certs.renew(c.id());
        StoredCertificate renewed = run(c.id());
        assertEquals(CertificateState.VALID, renewed.state(), () -> renewed.error());
        assertEquals(2, renewed.version());
        assertNotEquals(c.serial(), renewed.serial());
        assertEquals(published, challenges.published.get());
        assertEquals(fetched, challenges.fetched.get());
        assertEquals(
                1,
                events.topic(CertificateService.TOPIC_PREFIX + "RENEWED").stream()
                        .filter(e -> c.id().toString().equals(e.getProperty("certificateId")))
                        .count());
    }

    @Test
    void anUnreachableChallengeEndsFailedWithTheCasProblemAndAnAlertWhileTheOldCertificateStays() throws Exception {
        agree();
        StoredCertificate first = run(certs.request(List.of("flaky.certs.test")).id());
        assertEquals(CertificateState.VALID, first.state(), () -> first.error());
        challenges.unreachable.add("other.flaky.certs.test");
        try {
            store.redomain(first.id(), List.of("flaky.certs.test", "other.flaky.certs.test"));
            StoredCertificate failed = run(first.id());
            assertEquals(CertificateState.FAILED, failed.state());
            assertNotNull(failed.problem(), "the CA's problem document is kept");
            JsonNode problem = JSON.readTree(failed.problem());
            assertTrue(problem.path("type").asText().startsWith("urn:ietf:params:acme:error:"), failed.problem());
            assertTrue(
                    failed.error().contains("other.flaky.certs.test")
                            || failed.error().contains("404"),
                    failed.error());
            assertEquals(first.certPem(), failed.certPem(), "the old certificate keeps serving");
            assertEquals(first.version(), failed.version());
            assertTrue(failed.nextAttemptAt().isAfter(Instant.now().plusSeconds(30)), "retried later, never looped");
            assertTrue(store.order(first.id()).isEmpty(), "an invalid order is not resumed");
            List<Event> alerts = events.topic(AlertTopics.FIRING).stream()
                    .filter(e -> first.id().toString().equals(e.getProperty("subject")))
                    .toList();
            assertEquals(1, alerts.size());
            assertEquals("certificate.failed", alerts.get(0).getProperty("kind"));
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) alerts.get(0).getProperty("labels");
            assertEquals(problem, JSON.readTree(labels.get("problem")));
        } finally {
            challenges.unreachable.clear();
        }
        // once reachable again a renewal succeeds and the failure alert is cleared
        certs.renew(first.id());
        StoredCertificate ok = run(first.id());
        assertEquals(CertificateState.VALID, ok.state(), () -> ok.error());
        assertTrue(events.topic(AlertTopics.CLEARED).stream()
                .anyMatch(e -> first.id().toString().equals(e.getProperty("subject"))
                        && "certificate.failed".equals(e.getProperty("kind"))));
    }

    @Test
    void anOrderInterruptedMidwayIsResumedNotStartedAgain() throws Exception {
        agree();
        StoredCertificate c = certs.request(List.of("resume.certs.test"));
        challenges.failNextPublish = new IllegalStateException("core stopped");
        StoredCertificate interrupted = run(c.id());
        assertEquals(CertificateState.FAILED, interrupted.state());
        assertTrue(store.order(c.id()).isPresent(), "the order is kept for the next attempt");
        String token = challenges.publishedTokens.get(challenges.publishedTokens.size() - 1);

        certs.renew(c.id()); // due now, as after a restart
        StoredCertificate resumed = run(c.id());
        assertEquals(CertificateState.VALID, resumed.state(), () -> resumed.error());
        assertEquals(
                token,
                challenges.publishedTokens.get(challenges.publishedTokens.size() - 1),
                "the same order (same authorization and token) was finished");
        assertNull(resumed.error());
    }

    @Test
    void anOrderRunsOnceWhileAnotherCoreHoldsItsLock() throws Exception {
        agree();
        StoredCertificate c = certs.request(List.of("locked.certs.test"));
        try (Connection other = db.dataSource().getConnection();
                PreparedStatement ps = other.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
            ps.setString(1, "fleetgate.certificate:" + c.id());
            ps.execute();
            assertFalse(certs.runLocked(c.id()));
            assertEquals(
                    CertificateState.PENDING, store.get(c.id()).orElseThrow().state());
        }
        assertEquals(CertificateState.VALID, run(c.id()).state());
    }

    @Test
    void anIssuedCertificateIsRevokedAtTheCa() throws Exception {
        agree();
        StoredCertificate issued =
                run(certs.request(List.of("revoke.certs.test")).id());
        assertEquals(CertificateState.VALID, issued.state(), issued::error);
        StoredCertificate revoked = certs.revoke(issued.id());
        assertEquals(CertificateState.FAILED, revoked.state());
        assertEquals("revoked", revoked.error());
        assertNull(revoked.nextAttemptAt(), "not ordered again by itself");
        ApiException again = assertThrows(ApiException.class, () -> certs.revoke(issued.id()));
        assertEquals(502, again.status(), "Pebble refuses a second revocation: " + again.getMessage());
    }

    @Test
    void anUploadedCertificateIsCheckedAndStoredSealed() throws Exception {
        agree();
        StoredCertificate issued =
                run(certs.request(List.of("upload.certs.test")).id());
        String keyPem = box.decrypt(issued.keySealed());
        StoredCertificate custom = certs.upload(issued.certPem(), keyPem);
        assertEquals("custom", custom.source());
        assertEquals(CertificateState.VALID, custom.state());
        assertEquals(List.of("upload.certs.test"), custom.domains());
        assertEquals(keyPem, box.decrypt(custom.keySealed()));
        StoredCertificate other =
                run(certs.request(List.of("other-upload.certs.test")).id());
        ApiException e =
                assertThrows(ApiException.class, () -> certs.upload(issued.certPem(), box.decrypt(other.keySealed())));
        assertEquals("privateKeyPem", e.errors().get(0).field());
        ApiException bad = assertThrows(ApiException.class, () -> certs.upload("junk", "junk"));
        assertEquals(2, bad.errors().size());
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> certs.renew(custom.id())).status());
    }

    @Test
    void aServiceWithTlsAutoGetsACertificateOfItsDomainsAndHttpsInItsSite() throws Exception {
        agree();
        ServiceDirectory.ServiceInfo svc = services.add("tls-auto", "app.certs.test");
        CertificateStore.ServiceTls t = certs.setServiceTls(UUID.fromString(svc.id()), "auto", null, true, 600L);
        assertEquals(
                new ServiceDirectory.TlsSetting("auto", null, true, 600L),
                services.byId.get(svc.id()).tls(),
                "stored with the service: the one source of truth");
        StoredCertificate c = store.get(t.certificateId()).orElseThrow();
        assertEquals(List.of("app.certs.test"), c.domains());
        TlsContributor contributor = new TlsContributor(store, services);
        dev.fleetgate.proxy.Site site = new dev.fleetgate.proxy.Site(
                svc.id(),
                svc.id(),
                "tls-auto",
                List.of("app.certs.test"),
                List.of(dev.fleetgate.proxy.Listen.HTTP),
                List.of(dev.fleetgate.proxy.Location.proxy("/", "svc-" + svc.id())),
                null,
                null,
                null,
                0,
                null,
                null,
                null,
                false);
        dev.fleetgate.proxy.ProxySpec spec = dev.fleetgate.proxy.ProxySpec.EMPTY.withSites(List.of(site));
        dev.fleetgate.proxy.Site before =
                contributor.contribute(null, spec).sites().get(0);
        assertNull(before.tls(), "no certificate yet: plain HTTP");
        assertEquals(TlsContributor.ACME_HANDLER, before.locations().get(0).handler());

        assertEquals(CertificateState.VALID, run(c.id()).state());
        dev.fleetgate.proxy.Site after =
                contributor.contribute(null, spec).sites().get(0);
        assertNotNull(after.tls());
        assertTrue(after.listen().contains(dev.fleetgate.proxy.Listen.HTTPS));
        assertTrue(after.tls().redirectHttp());
        assertEquals(600L, after.tls().hstsMaxAgeSeconds());
        JsonNode wire = JSON.valueToTree(after.tls());
        assertEquals(
                store.get(c.id()).orElseThrow().keySealed(),
                wire.get("privateKeyPem").get("$sealed").asText(),
                "the key leaves the core sealed");

        // a new domain re-orders; deleting the service forgets its certificate
        services.byId.put(
                svc.id(),
                new ServiceDirectory.ServiceInfo(
                        svc.id(),
                        svc.name(),
                        3,
                        List.of("app.certs.test", "new.app.certs.test"),
                        List.of(),
                        List.of(),
                        false,
                        0,
                        services.byId.get(svc.id()).tls()));
        certs.serviceChanged(svc.id(), "UPDATED");
        StoredCertificate redone = run(c.id());
        assertEquals(
                List.of("app.certs.test", "new.app.certs.test"),
                Pem.dnsNames(Pem.readChain(redone.certPem()).get(0)).stream()
                        .sorted()
                        .toList());
        certs.serviceChanged(svc.id(), "DELETED");
        assertTrue(store.get(c.id()).isEmpty());
        assertTrue(store.forService(UUID.fromString(svc.id())).isEmpty());
    }

    @Test
    void aServiceBodyWithTlsAutoIsFollowedAndCustomNeedsAnExistingCertificate() throws Exception {
        agree();
        ServiceDirectory.ServiceInfo plain = services.add("tls-body", "body.certs.test");
        ServiceDirectory.ServiceInfo svc = new ServiceDirectory.ServiceInfo(
                plain.id(),
                plain.name(),
                2,
                plain.domains(),
                List.of(),
                List.of(),
                false,
                0,
                new ServiceDirectory.TlsSetting("auto", null, true, null));
        services.byId.put(svc.id(), svc);
        certs.serviceChanged(svc.id(), "UPDATED"); // what ServiceWatcher does on the proxy's event
        StoredCertificate c = store.forService(UUID.fromString(svc.id())).orElseThrow();
        assertEquals(List.of("body.certs.test"), c.domains());
        assertEquals(
                c.id(),
                certs.serviceTls(UUID.fromString(svc.id())).orElseThrow().certificateId());
        certs.serviceChanged(svc.id(), "UPDATED");
        assertEquals(
                1,
                store.list().stream()
                        .filter(x -> svc.id().equals(String.valueOf(x.serviceId())))
                        .count(),
                "following again keeps the one certificate");

        UUID missing = UUID.randomUUID();
        ApiException e = assertThrows(
                ApiException.class,
                () -> certs.setServiceTls(UUID.fromString(svc.id()), "custom", missing, true, null));
        assertEquals("certificateId", e.errors().get(0).field());
        services.byId.put(
                svc.id(),
                new ServiceDirectory.ServiceInfo(
                        svc.id(),
                        svc.name(),
                        3,
                        svc.domains(),
                        List.of(),
                        List.of(),
                        false,
                        0,
                        new ServiceDirectory.TlsSetting("custom", missing.toString(), true, null)));
        assertEquals(
                "certificate " + missing + " not found",
                certs.problem(certs.serviceTls(UUID.fromString(svc.id())).orElseThrow()));
        certs.serviceChanged(svc.id(), "DELETED");
    }
}
