package dev.fleetgate.certificates.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Backoff;

/**
 * Keeps an OCSP response for every certificate whose leaf names an OCSP responder, for the agents to staple
 * ({@link TlsContributor} sends it as {@code Tls.ocspResponse}). Run by the scheduler's tick: a new certificate
 * version starts a new state (fetched at once); a verified response is refreshed at half its validity (thisUpdate
 * to nextUpdate, as nginx and OpenSSL do), at most {@code maxRefresh} later; a failed fetch is retried with
 * {@link Backoff} while the last verified response keeps being stapled until its nextUpdate (the agents' Lua
 * refuses it after that). One core fetches a certificate at a time ({@link OcspStore#claim}).
 */
final class OcspRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(OcspRefresher.class);
    /** Consecutive failed fetches before {@code certificate.ocsp.failed} fires. */
    static final int FAILURES_ALERT = 3;

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What the refresher tells the module. */
    interface Listener {
        /** The response the agents staple changed (or went): recompute the proxy section. */
        void stapleChanged(StoredCertificate cert);

        /** The status the responder gives changed (good, revoked, unknown). */
        void statusChanged(StoredCertificate cert, String before, Ocsp.Result now);

        /** Fetching failed {@code failures} times in a row ({@code error}); 0 = it works again. */
        void fetchFailing(StoredCertificate cert, int failures, String error);
    }

    private final CertificateStore certificates;
    private final OcspStore store;
    private final Listener listener;
    private final Backoff backoff;
    private final Duration maxRefresh;
    private final Clock clock;
    private final HttpClient http;

    OcspRefresher(
            CertificateStore certificates,
            OcspStore store,
            Listener listener,
            Backoff backoff,
            Duration maxRefresh,
            Clock clock) {
        this.certificates = certificates;
        this.store = store;
        this.listener = listener;
        this.backoff = backoff;
        this.maxRefresh = maxRefresh;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** One pass over every certificate with a chain. */
    void run() throws InterruptedException {
        Map<UUID, OcspStore.State> states = store.all();
        for (StoredCertificate c : certificates.list()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            if (c.certPem() == null) {
                continue;
            }
            OcspStore.State s = states.get(c.id());
            if (s == null || s.version() != c.version()) {
                s = start(c, s);
            }
            Instant now = clock.instant();
            if (s.url() != null && !s.nextFetchAt().isAfter(now) && store.claim(s, now.plus(LEASE))) {
                fetch(c, s);
            }
        }
    }

    /** The first state of a certificate version: its responder (or none), nothing stapled yet. */
    private OcspStore.State start(StoredCertificate c, OcspStore.State before) {
        String url = null;
        String error = null;
        try {
            List<X509Certificate> chain = Pem.readChain(c.certPem());
            url = Ocsp.responderUrl(chain.get(0));
            if (url != null && Ocsp.issuer(chain) == null) {
                error = "the chain holds no issuer certificate: OCSP needs it (upload the chain)";
                url = null;
            }
        } catch (IllegalArgumentException e) {
            error = "unreadable certificate: " + e.getMessage();
        }
        store.reset(c.id(), c.version(), url, error);
        if (before != null) {
            if (before.stapleAt(clock.instant()) != null) {
                listener.stapleChanged(c);
            }
            if (!"pending".equals(before.status()) && !"none".equals(before.status())) {
                listener.statusChanged(c, before.status(), null);
            }
            if (before.failures() >= FAILURES_ALERT) {
                listener.fetchFailing(c, 0, null);
            }
        }
        return store.get(c.id()).orElseThrow();
    }

    private void fetch(StoredCertificate c, OcspStore.State s) throws InterruptedException {
        Instant now = clock.instant();
        try {
            List<X509Certificate> chain = Pem.readChain(c.certPem());
            Ocsp.Result r = Ocsp.fetch(http, s.url(), chain.get(0), Ocsp.issuer(chain), TIMEOUT);
            store.fetched(s, r, nextFetch(r, now));
            byte[] before = s.stapleAt(now);
            byte[] after = "unknown".equals(r.status()) ? null : r.der();
            if (!Arrays.equals(before, after)) {
                listener.stapleChanged(c);
            }
            if (!r.status().equals(s.status())) {
                listener.statusChanged(c, s.status(), r);
            }
            if (s.failures() >= FAILURES_ALERT) {
                listener.fetchFailing(c, 0, null);
            }
        } catch (IOException | RuntimeException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            int failures = s.failures() + 1;
            Instant next = now.plus(backoff.delay(failures));
            store.failed(s, error, next);
            LOG.warn("OCSP for certificate {} ({}) failed {} time(s): {}", c.id(), s.url(), failures, error);
            if (failures == FAILURES_ALERT) {
                listener.fetchFailing(c, failures, error);
            }
        }
    }

    /** Half-way through the response's validity, at most {@code maxRefresh} from now, at least 1 s. */
    Instant nextFetch(Ocsp.Result r, Instant now) {
        Instant latest = now.plus(maxRefresh);
        Instant next = latest;
        if (r.nextUpdate() != null) {
            Duration validity = Duration.between(r.thisUpdate(), r.nextUpdate());
            Instant half = r.thisUpdate().plus(validity.dividedBy(2));
            next = half.isBefore(latest) ? half : latest;
        }
        Instant earliest = now.plusSeconds(1);
        return next.isBefore(earliest) ? earliest : next;
    }
}
