package dev.fleetgate.certificates.internal;

import java.net.URL;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Backoff;
import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.DnsService;
import dev.fleetgate.dns.RecordChange;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.security.SecretBox;

/**
 * Runs one certificate's ACME order to its end: resumes a stored order (a restart or another core left it),
 * skips authorizations that are already valid, answers the rest with http-01, finalizes with a new key and
 * stores the certificate. Failures end FAILED with the CA's problem document and a retry time (backoff,
 * or the CA's Retry-After when rate limited); an issued certificate keeps serving meanwhile.
 * The caller holds the certificate's advisory lock.
 */
public final class Orders {
    private static final Logger LOG = LoggerFactory.getLogger(Orders.class);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DNS_PROPAGATION = Duration.ofSeconds(60);
    private static final int DNS_TTL = 60;

    private final CertificateStore store;
    private final SecretBox box;
    private final AcmeServer server;
    private final ChallengePublisher publisher;
    private final CertificateEvents events;
    private final Backoff backoff;
    private final Clock clock;
    private final Supplier<DnsService> dns;

    /** @param dns module 3's DNS service for dns-01 (wildcards), or a supplier of null when it is not installed */
    public Orders(
            CertificateStore store,
            SecretBox box,
            AcmeServer server,
            ChallengePublisher publisher,
            CertificateEvents events,
            Backoff backoff,
            Clock clock,
            Supplier<DnsService> dns) {
        this.dns = dns;
        this.store = store;
        this.box = box;
        this.server = server;
        this.publisher = publisher;
        this.events = events;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** A failure with what the CA said. */
    static final class OrderFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Problem problem;
        final boolean dropOrder;

        OrderFailure(String message, Problem problem, boolean dropOrder) {
            super(message);
            this.problem = problem;
            this.dropOrder = dropOrder;
        }
    }

    /**
     * Runs the order of a due certificate.
     *
     * @return the certificate after the attempt
     */
    public StoredCertificate run(UUID id) throws InterruptedException {
        StoredCertificate cert = store.get(id).orElse(null);
        if (cert == null
                || !cert.acme()
                || cert.nextAttemptAt() == null
                || cert.nextAttemptAt().isAfter(clock.instant())) {
            return cert;
        }
        boolean renewal = cert.certPem() != null;
        store.started(id);
        try {
            issue(cert);
            StoredCertificate done = store.get(id).orElseThrow();
            events.issued(done, renewal);
            return done;
        } catch (AcmeRateLimitedException e) {
            Instant retry = later(e.getRetryAfter().orElse(null), cert.failures() + 1);
            fail(cert, "rate limited by the CA: " + e.getMessage(), e.getProblem(), retry, false);
        } catch (AcmeServerException e) {
            fail(cert, "refused by the CA: " + e.getMessage(), e.getProblem(), later(null, cert.failures() + 1), false);
        } catch (OrderFailure e) {
            fail(cert, e.getMessage(), e.problem, later(null, cert.failures() + 1), e.dropOrder);
        } catch (AcmeException | RuntimeException e) {
            fail(
                    cert,
                    e.getClass().getSimpleName() + ": " + e.getMessage(),
                    null,
                    later(null, cert.failures() + 1),
                    false);
        }
        return store.get(id).orElse(null);
    }

    private Instant later(Instant retryAfter, int failures) {
        Instant b = clock.instant().plus(backoff.delay(failures));
        return retryAfter != null && retryAfter.isAfter(b) ? retryAfter : b;
    }

    private void fail(StoredCertificate cert, String error, Problem problem, Instant retry, boolean dropOrder) {
        String problemJson = problem == null ? null : problem.asJSON().toString();
        LOG.warn("Certificate {} ({}): order failed, next attempt at {}: {}", cert.id(), cert.domains(), retry, error);
        store.failed(cert.id(), error, problemJson, retry, dropOrder);
        events.failed(store.get(cert.id()).orElse(cert), error, problemJson);
    }

    private void issue(StoredCertificate cert) throws AcmeException, OrderFailure, InterruptedException {
        Login login = server.login();
        Order order = null;
        KeyPair key = null;
        Optional<CertificateStore.Order> stored = store.order(cert.id());
        if (stored.isPresent() && stored.get().directoryUrl().equals(server.directoryUrl())) {
            Order resumed = login.bindOrder(url(stored.get().orderUrl()));
            resumed.fetch();
            if (resumed.getStatus() != Status.INVALID && sameDomains(resumed, cert.domains())) {
                order = resumed;
                key = Pem.readKeyPair(box.decrypt(stored.get().keySealed()));
                LOG.info(
                        "Certificate {}: resuming order {} ({})",
                        cert.id(),
                        stored.get().orderUrl(),
                        resumed.getStatus());
            }
        }
        if (order == null) {
            key = Pem.newEcKey();
            OrderBuilder b = login.newOrder().domains(cert.domains());
            if (cert.certPem() != null && cert.ari()) {
                b.replaces(Pem.readChain(cert.certPem()).get(0));
            }
            order = b.create();
            store.saveOrder(new CertificateStore.Order(
                    cert.id(), server.directoryUrl(), order.getLocation().toString(), box.encrypt(Pem.keyPair(key))));
        }
        if (order.getStatus() == Status.PENDING) {
            authorize(cert, order);
        }
        if (order.getStatus() != Status.VALID) {
            Status s = order.getStatus() == Status.READY ? Status.READY : order.waitUntilReady(STEP_TIMEOUT);
            if (s == Status.READY) {
                order.execute(key);
                s = order.waitForCompletion(STEP_TIMEOUT);
            }
            if (s != Status.VALID) {
                Problem p = order.getError().orElse(null);
                throw new OrderFailure("order " + s.name().toLowerCase() + (p == null ? "" : ": " + p), p, true);
            }
        }
        Certificate c = order.getCertificate();
        List<X509Certificate> chain = c.getCertificateChain();
        X509Certificate leaf = chain.get(0);
        RenewalTime renew = renewalTime(c, leaf);
        store.issued(
                cert.id(),
                Pem.chain(chain),
                box.encrypt(Pem.privateKey(key)),
                leaf.getIssuerX500Principal().getName(),
                leaf.getSerialNumber().toString(16),
                leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant(),
                renew.at(),
                renew.ari());
        LOG.info(
                "Certificate {} ({}) issued, valid until {}, renewal at {}",
                cert.id(),
                cert.domains(),
                leaf.getNotAfter().toInstant(),
                renew.at());
    }

    private static URL url(String text) {
        try {
            return java.net.URI.create(text).toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("bad stored order URL", e);
        }
    }

    private static boolean sameDomains(Order order, List<String> domains) {
        List<String> ids = new ArrayList<>();
        order.getIdentifiers().forEach(i -> ids.add(i.getDomain()));
        return ids.size() == domains.size() && ids.containsAll(domains);
    }

    private void authorize(StoredCertificate cert, Order order)
            throws AcmeException, OrderFailure, InterruptedException {
        List<Challenge> toTrigger = new ArrayList<>();
        List<DnsRecord> txt = new ArrayList<>();
        try {
            boolean http = false;
            for (Authorization auth : order.getAuthorizations()) {
                if (auth.getStatus() == Status.VALID) {
                    continue; // the CA reused an authorization it validated before
                }
                String domain = auth.getIdentifier().getDomain();
                if (auth.getStatus() != Status.PENDING) {
                    throw new OrderFailure(
                            "authorization of " + domain + " is "
                                    + auth.getStatus().name().toLowerCase(),
                            null,
                            true);
                }
                Optional<Http01Challenge> h =
                        auth.isWildcard() ? Optional.empty() : auth.findChallenge(Http01Challenge.class);
                if (h.isPresent()) {
                    publisher.publish(
                            cert.id(), domain, h.get().getToken(), h.get().getAuthorization());
                    toTrigger.add(h.get());
                    http = true;
                    continue;
                }
                Dns01Challenge d = auth.findChallenge(Dns01Challenge.class)
                        .orElseThrow(() ->
                                new OrderFailure("the CA offers neither http-01 nor dns-01 for " + domain, null, true));
                DnsService service = dns.get();
                if (service == null || service.zoneOf(domain).isEmpty()) {
                    throw new OrderFailure(
                            (auth.isWildcard() ? "*." + domain + " (a wildcard) needs" : domain + " needs")
                                    + " dns-01, but no DNS zone configured in Fleetgate holds " + domain,
                            null,
                            true);
                }
                DnsRecord rec = new DnsRecord(
                        Dns01Challenge.RECORD_NAME_PREFIX + "." + domain, RecordType.TXT, d.getDigest(), DNS_TTL);
                addTxt(service, rec);
                txt.add(rec);
                toTrigger.add(d);
            }
            if (toTrigger.isEmpty()) {
                order.fetch();
                return;
            }
            if (http) {
                String notServed = publisher.awaitServed(Duration.ofSeconds(30));
                if (notServed != null) {
                    LOG.warn("Certificate {}: asking the CA to validate although {}", cert.id(), notServed);
                }
            }
            awaitPropagation(txt);
            for (Challenge ch : toTrigger) {
                if (ch.getStatus() == Status.PENDING) {
                    ch.trigger();
                }
            }
            for (Challenge ch : toTrigger) {
                Status s = ch.getStatus() == Status.VALID ? Status.VALID : ch.waitForCompletion(STEP_TIMEOUT);
                if (s != Status.VALID) {
                    Problem p = ch.getError().orElse(null);
                    throw new OrderFailure(
                            ch.getType() + " challenge " + s.name().toLowerCase() + (p == null ? "" : ": " + p),
                            p,
                            true);
                }
            }
            order.fetch();
        } finally {
            removeTxt(txt);
        }
    }

    private void addTxt(DnsService service, DnsRecord rec) throws OrderFailure {
        try {
            service.apply(List.of(RecordChange.add(rec)));
        } catch (DnsException | RuntimeException e) {
            throw new OrderFailure("cannot place " + rec.name() + " TXT for dns-01: " + e.getMessage(), null, false);
        }
    }

    /** Waits until the zone's authoritative server answers every TXT value (the CA asks the authoritative servers). */
    private void awaitPropagation(List<DnsRecord> txt) throws OrderFailure, InterruptedException {
        if (txt.isEmpty()) {
            return;
        }
        DnsService service = dns.get();
        long deadline = System.nanoTime() + DNS_PROPAGATION.toNanos();
        for (DnsRecord rec : txt) {
            while (true) {
                try {
                    if (service.lookup(rec.name(), RecordType.TXT).stream()
                            .anyMatch(r -> r.value().equals(rec.value()))) {
                        break;
                    }
                } catch (DnsException | RuntimeException e) {
                    LOG.debug("TXT lookup of {} failed: {}", rec.name(), e.getMessage());
                }
                if (System.nanoTime() > deadline) {
                    throw new OrderFailure(
                            rec.name() + " TXT not visible on the authoritative server within "
                                    + DNS_PROPAGATION.toSeconds() + " s",
                            null,
                            false);
                }
                Thread.sleep(250); // polling DNS: there is no notification
            }
        }
    }

    private void removeTxt(List<DnsRecord> txt) {
        DnsService service = dns.get();
        if (txt.isEmpty() || service == null) {
            return;
        }
        try {
            service.apply(txt.stream().map(RecordChange::delete).toList());
        } catch (DnsException | RuntimeException e) {
            LOG.warn(
                    "Could not remove dns-01 TXT records {}: {}",
                    txt.stream().map(DnsRecord::name).toList(),
                    e.getMessage());
        }
    }

    /** When to renew, and whether the CA said so (ARI). */
    record RenewalTime(Instant at, boolean ari) {}

    /** ARI's suggested window when the CA offers it, else 2/3 of the lifetime; both spread randomly. */
    RenewalTime renewalTime(Certificate c, X509Certificate leaf) {
        try {
            if (c.hasRenewalInfo()) {
                Optional<Instant> proposal = c.getRenewalInfo().getRandomProposal(null);
                return new RenewalTime(proposal.orElse(clock.instant()), true);
            }
        } catch (RuntimeException e) {
            LOG.info("No renewal information for certificate {}: {}", leaf.getSerialNumber(), e.getMessage());
        }
        return new RenewalTime(
                twoThirds(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()), false);
    }

    /**
     * @return two thirds into the lifetime, plus up to a twelfth of it at random so that certificates issued
     *         together (an import, a restore) are not renewed in one burst
     */
    static Instant twoThirds(Instant notBefore, Instant notAfter) {
        long life = Duration.between(notBefore, notAfter).toMillis();
        long jitter = life / 12 <= 0 ? 0 : ThreadLocalRandom.current().nextLong(life / 12);
        return notBefore.plusMillis(life * 2 / 3 + jitter);
    }
}
