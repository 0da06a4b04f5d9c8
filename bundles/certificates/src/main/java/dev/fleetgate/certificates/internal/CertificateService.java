package dev.fleetgate.certificates.internal;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.Backoff;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.TaskService;
import dev.fleetgate.api.Threads;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.Severity;
import dev.fleetgate.certificates.CertificateState;
import dev.fleetgate.dns.DnsService;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.security.SecretBox;

/**
 * The certificates module: requests, uploads, renewals, revocation, the account, services' TLS settings, and
 * the order scheduler. Orders of one certificate run once across every core sharing the database (a
 * PostgreSQL advisory lock held for the order); a stored order is resumed after a restart.
 */
@Component(service = CertificateService.class, configurationPid = CertificatesConfig.PID)
@Designate(ocd = CertificatesConfig.class)
public final class CertificateService implements CertificateEvents, OcspRefresher.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateService.class);
    /** Topic of module events (issued, renewed), besides the alert events. */
    public static final String TOPIC_PREFIX = "fleetgate/certificates/";

    static final Duration EXPIRING = Duration.ofDays(14);
    /** How long a paused certificate (its service's tls is not auto) waits before it is looked at again. */
    static final Duration PAUSE_RECHECK = Duration.ofHours(1);

    private final CertificateStore store;
    private final SecretBox box;
    private final DesiredStateService desired;
    private final EventAdmin events;
    private final ServiceDirectory services;
    private volatile boolean legacyMigrated;
    private final AcmeServer server;
    private final Orders orders;
    private final ScheduledExecutorService scheduler;
    private final OcspStore ocsp;
    private final OcspRefresher ocspRefresher;
    /** Null in tests without agents. */
    private volatile ServedCheck served;
    /** Module 3, for dns-01 (wildcards); absent when the dns module is not installed. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DnsService dns;

    private final Set<UUID> expiringFired = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Activate
    public CertificateService(
            @Reference CertificateStore store,
            @Reference SecretBox box,
            @Reference DesiredStateService desired,
            @Reference EventAdmin events,
            @Reference ServiceDirectory services,
            @Reference AgentDirectory agents,
            @Reference TaskService tasks,
            CertificatesConfig config) {
        this(
                store,
                box,
                desired,
                events,
                services,
                new AcmeServer(config.directoryUrl(), config.caFile(), store, box),
                new AgentChallengePublisher(store, desired, agents),
                config);
        this.served = new ServedCheck(store, services, agents, desired, tasks, this::served);
    }

    CertificateService(
            CertificateStore store,
            SecretBox box,
            DesiredStateService desired,
            EventAdmin events,
            ServiceDirectory services,
            AcmeServer server,
            ChallengePublisher publisher,
            CertificatesConfig config) {
        this.store = store;
        this.box = box;
        this.desired = desired;
        this.events = events;
        this.services = services;
        this.server = server;
        this.orders = new Orders(
                store,
                box,
                server,
                publisher,
                this,
                new Backoff(Duration.ofSeconds(config.retryInitialSeconds()), Duration.ofHours(6)),
                Clock.systemUTC(),
                () -> dns);
        this.ocsp = new OcspStore(store.dataSource());
        this.ocspRefresher = new OcspRefresher(
                store,
                ocsp,
                this,
                new Backoff(Duration.ofSeconds(config.retryInitialSeconds()), Duration.ofHours(1)),
                Duration.ofSeconds(config.ocspRefreshMaxSeconds()),
                Clock.systemUTC());
        if (!config.email().isBlank() && server.account().isEmpty()) {
            server.saveAccount(config.email(), false);
        }
        if (config.schedulerEnabled()) {
            scheduler = Threads.scheduler("fleetgate-certificates");
            scheduler.scheduleWithFixedDelay(this::tick, 1, config.tickSeconds(), TimeUnit.SECONDS);
        } else {
            scheduler = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public AcmeServer server() {
        return server;
    }

    // ---- scheduler ----

    /** One pass: run every due order this core can lock, then check expiry. */
    void tick() {
        try {
            if (!legacyMigrated) {
                migrateLegacySettings();
                legacyMigrated = store.allServiceTls().isEmpty();
            }
            for (UUID id : store.due(20)) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (paused(id)) {
                    continue;
                }
                runLocked(id);
            }
            checkExpiry();
            ocspRefresher.run();
            ServedCheck check = served;
            if (check != null) {
                check.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Certificate scheduler pass failed", e);
        }
    }

    /**
     * A service's certificate is not ordered or renewed while the service's {@code tls} is not auto (switched off or
     * to custom): it is kept (served again when switched back) but postponed by {@link #PAUSE_RECHECK}; switching
     * back to auto makes it due again ({@link #follow}).
     *
     * @return true when the certificate is due but paused (now postponed)
     */
    boolean paused(UUID id) {
        StoredCertificate c = store.get(id).orElse(null);
        if (c == null || c.serviceId() == null) {
            return false;
        }
        Optional<ServiceDirectory.ServiceInfo> svc =
                services.service(c.serviceId().toString());
        if (svc.isEmpty()
                || ServiceDirectory.TlsSetting.AUTO.equals(svc.get().tls().mode())) {
            return false;
        }
        store.postpone(id, Instant.now().plus(PAUSE_RECHECK));
        LOG.debug(
                "Certificate {} of service {} not renewed: its tls is {}",
                id,
                c.serviceId(),
                svc.get().tls().mode());
        return true;
    }

    /**
     * Runs the order of {@code id} under its advisory lock (session level, on a connection held for the order:
     * a core that dies mid-order releases it with its connection).
     *
     * @return false when another core holds it
     */
    boolean runLocked(UUID id) throws InterruptedException {
        try (Connection c = store.dataSource().getConnection()) {
            c.setAutoCommit(true);
            if (!lock(c, "pg_try_advisory_lock", id)) {
                return false;
            }
            try {
                orders.run(id);
            } finally {
                lock(c, "pg_advisory_unlock", id);
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean lock(Connection c, String fn, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + fn + "(hashtextextended(?, 0))")) {
            ps.setString(1, "fleetgate.certificate:" + id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void checkExpiry() {
        Instant soon = Instant.now().plus(EXPIRING);
        Set<UUID> seen = new HashSet<>();
        for (StoredCertificate c : store.list()) {
            seen.add(c.id());
            boolean expiring = c.notAfter() != null && c.notAfter().isBefore(soon);
            if (expiring && expiringFired.add(c.id())) {
                post(
                        AlertEvent.firing("certificate.expiring", c.id().toString())
                                .severity(Severity.WARNING)
                                .message("Certificate of " + String.join(", ", c.domains()) + " expires at "
                                        + c.notAfter()),
                        c);
            } else if (!expiring && expiringFired.remove(c.id())) {
                post(AlertEvent.cleared("certificate.expiring", c.id().toString()), c);
            }
        }
        expiringFired.retainAll(seen);
    }

    // ---- events ----

    @Override
    public void issued(StoredCertificate cert, boolean renewal) {
        desired.changed(ProxySpec.SECTION);
        desired.changed(CertificateState.ACME_SECTION);
        post(AlertEvent.cleared("certificate.failed", cert.id().toString()), cert);
        events.postEvent(new Event(
                TOPIC_PREFIX + (renewal ? "RENEWED" : "ISSUED"),
                Map.of(
                        "certificateId",
                        cert.id().toString(),
                        "domains",
                        String.join(",", cert.domains()),
                        "notAfter",
                        String.valueOf(cert.notAfter()))));
    }

    @Override
    public void failed(StoredCertificate cert, String error, String problem) {
        desired.changed(CertificateState.ACME_SECTION);
        AlertEvent e = AlertEvent.firing("certificate.failed", cert.id().toString())
                .severity(Severity.CRITICAL)
                .message("Certificate of " + String.join(", ", cert.domains()) + " failed: " + error);
        if (problem != null) {
            e.label("problem", problem);
        }
        post(e, cert);
        events.postEvent(new Event(
                TOPIC_PREFIX + "FAILED", Map.of("certificateId", cert.id().toString(), "error", error)));
    }

    /** The outcome of a served check: null = every agent serves the certificate. */
    void served(StoredCertificate cert, String difference) {
        if (difference == null) {
            post(AlertEvent.cleared(ServedCheck.KIND, cert.id().toString()), cert);
        } else {
            post(
                    AlertEvent.firing(ServedCheck.KIND, cert.id().toString())
                            .severity(Severity.WARNING)
                            .message("Served certificate differs for " + String.join(", ", cert.domains()) + ": "
                                    + difference),
                    cert);
        }
    }

    // ---- OCSP stapling ----

    /** The OCSP state of a certificate's current version, if the scheduler looked at it yet. */
    public Optional<OcspStore.State> ocsp(StoredCertificate c) {
        return ocsp.get(c.id()).filter(s -> s.version() == c.version());
    }

    /** The OCSP state of every certificate (by id; compare its version with the certificate's). */
    public Map<UUID, OcspStore.State> ocspStates() {
        return ocsp.all();
    }

    @Override
    public void stapleChanged(StoredCertificate cert) {
        desired.changed(ProxySpec.SECTION);
    }

    @Override
    public void statusChanged(StoredCertificate cert, String before, Ocsp.Result now) {
        String status = now == null ? null : now.status();
        if ("revoked".equals(status)) {
            post(
                    AlertEvent.firing("certificate.revoked", cert.id().toString())
                            .severity(Severity.CRITICAL)
                            .message("Certificate of " + String.join(", ", cert.domains()) + " is revoked (OCSP, since "
                                    + now.revokedAt() + ")"),
                    cert);
            events.postEvent(new Event(
                    TOPIC_PREFIX + "REVOKED",
                    Map.of("certificateId", cert.id().toString(), "revokedAt", String.valueOf(now.revokedAt()))));
        } else if ("revoked".equals(before)) {
            post(AlertEvent.cleared("certificate.revoked", cert.id().toString()), cert);
        }
    }

    @Override
    public void fetchFailing(StoredCertificate cert, int failures, String error) {
        if (failures == 0) {
            post(AlertEvent.cleared("certificate.ocsp.failed", cert.id().toString()), cert);
        } else {
            post(
                    AlertEvent.firing("certificate.ocsp.failed", cert.id().toString())
                            .severity(Severity.WARNING)
                            .message("OCSP response of the certificate of " + String.join(", ", cert.domains())
                                    + " cannot be fetched (" + failures + " attempts): " + error),
                    cert);
        }
    }

    private void post(AlertEvent e, StoredCertificate c) {
        e.label("certificate", c.id().toString()).label("domains", String.join(",", c.domains()));
        if (c.serviceId() != null) {
            e.label("service", c.serviceId().toString());
        }
        events.postEvent(new Event(e.topic(), e.toProperties()));
    }

    // ---- API ----

    public List<StoredCertificate> list() {
        return store.list();
    }

    public StoredCertificate get(UUID id) {
        return store.get(id).orElseThrow(() -> ApiException.notFound("Certificate " + id));
    }

    /** Requests an ACME certificate of these (normalised) domains; due at once. */
    public StoredCertificate request(List<String> domains) {
        return store.createAcme(null, domains);
    }

    /** Stores an uploaded certificate after checking the chain, the key and that they belong together. */
    public StoredCertificate upload(String certPem, String keyPem) {
        List<X509Certificate> chain;
        KeyPair key;
        List<dev.fleetgate.api.FieldError> errors = new ArrayList<>();
        try {
            chain = Pem.readChain(certPem);
        } catch (IllegalArgumentException e) {
            errors.add(new dev.fleetgate.api.FieldError("certificatePem", e.getMessage()));
            chain = null;
        }
        try {
            key = Pem.readKeyPair(keyPem);
        } catch (IllegalArgumentException e) {
            errors.add(new dev.fleetgate.api.FieldError("privateKeyPem", e.getMessage()));
            key = null;
        }
        if (chain != null && key != null && !Pem.matches(chain.get(0), key)) {
            errors.add(new dev.fleetgate.api.FieldError("privateKeyPem", "does not belong to the certificate"));
        }
        if (chain != null && Pem.dnsNames(chain.get(0)).isEmpty()) {
            errors.add(new dev.fleetgate.api.FieldError("certificatePem", "has no DNS name (subjectAltName)"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        X509Certificate leaf = chain.get(0);
        return store.createCustom(
                null,
                Pem.dnsNames(leaf),
                Pem.chain(chain),
                box.encrypt(Pem.privateKey(key)),
                leaf.getIssuerX500Principal().getName(),
                leaf.getSerialNumber().toString(16),
                leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant());
    }

    /** Makes an ACME certificate due now; the scheduler picks it up within a tick. */
    public StoredCertificate renew(UUID id) {
        StoredCertificate c = get(id);
        if (!c.acme()) {
            throw ApiException.conflict("An uploaded certificate is not renewed by Fleetgate; upload a new one");
        }
        store.dueNow(id);
        return get(id);
    }

    /** Revokes an issued ACME certificate at the CA (it keeps its row; request or renew it again). */
    public StoredCertificate revoke(UUID id) {
        StoredCertificate c = get(id);
        if (!c.acme() || c.certPem() == null) {
            throw ApiException.conflict("Only an issued ACME certificate can be revoked");
        }
        try {
            org.shredzone.acme4j.Certificate.revoke(
                    server.login(), Pem.readChain(c.certPem()).get(0), null);
        } catch (AcmeException | IllegalStateException e) {
            throw new ApiException(502, "The CA refused the revocation: " + e.getMessage());
        }
        store.failed(id, "revoked", null, null, true);
        return get(id);
    }

    public void delete(UUID id) {
        get(id);
        store.delete(id);
        desired.changed(ProxySpec.SECTION);
    }

    /** The account of the configured directory, created (key only) when missing. */
    public CertificateStore.Account account() {
        return server.account().orElseGet(() -> server.saveAccount(null, false));
    }

    public Optional<String> termsOfService() {
        try {
            return server.termsOfService().map(Object::toString);
        } catch (AcmeException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public CertificateStore.Account saveAccount(String email, boolean termsAgreed) {
        return server.saveAccount(email, termsAgreed);
    }

    // ---- service TLS ----

    /** @throws ApiException 404 for an unknown service */
    public ServiceDirectory.ServiceInfo requireService(UUID serviceId) {
        return services.service(serviceId.toString()).orElseThrow(() -> ApiException.notFound("Service " + serviceId));
    }

    /**
     * A service's TLS as its {@code tls} field says (the proxy module stores it with the service: the one source
     * of truth), with the certificate it uses: the service's own ACME certificate with auto, the uploaded one with
     * custom.
     */
    public Optional<CertificateStore.ServiceTls> serviceTls(UUID serviceId) {
        return services.service(serviceId.toString()).map(this::settingOf);
    }

    /** The TLS setting of a service as this module uses it (certificate resolved, see {@link #serviceTls}). */
    CertificateStore.ServiceTls settingOf(ServiceDirectory.ServiceInfo svc) {
        return settingOf(
                svc,
                store.forService(UUID.fromString(svc.id()))
                        .map(StoredCertificate::id)
                        .orElse(null));
    }

    static CertificateStore.ServiceTls settingOf(ServiceDirectory.ServiceInfo svc, UUID ownCertificate) {
        ServiceDirectory.TlsSetting t = svc.tls();
        UUID certId =
                switch (t.mode()) {
                    case ServiceDirectory.TlsSetting.AUTO -> ownCertificate;
                    case ServiceDirectory.TlsSetting.CUSTOM -> uuidOrNull(t.certificateId());
                    default -> null;
                };
        return new CertificateStore.ServiceTls(
                UUID.fromString(svc.id()), t.mode(), certId, t.redirectHttp(), t.hstsMaxAgeSeconds());
    }

    /**
     * Why a service's {@code tls} is not served, or null: custom naming a certificate that does not exist (the
     * proxy module, which validates the service body, cannot see certificates), or one without a key.
     */
    public String problem(CertificateStore.ServiceTls t) {
        if (!ServiceDirectory.TlsSetting.CUSTOM.equals(t.mode())) {
            return null;
        }
        if (t.certificateId() == null) {
            return "certificate not found";
        }
        return store.get(t.certificateId())
                .map(c -> c.certPem() == null || c.keySealed() == null
                        ? "certificate " + c.id() + " has no certificate and key yet"
                        : null)
                .orElse("certificate " + t.certificateId() + " not found");
    }

    /**
     * Sets a service's TLS by writing the service's {@code tls} field (the same as {@code PUT /services/{id}}
     * with it): auto makes (or re-domains) its ACME certificate, custom points at an uploaded one (400 unless it
     * exists), off removes TLS.
     */
    public CertificateStore.ServiceTls setServiceTls(
            UUID serviceId, String mode, UUID certificateId, boolean redirectHttp, Long hsts) {
        requireService(serviceId);
        if (ServiceDirectory.TlsSetting.CUSTOM.equals(mode)
                && store.get(certificateId).isEmpty()) {
            throw ApiException.invalid("certificateId", "no such certificate");
        }
        ServiceDirectory.ServiceInfo svc = services.setTls(
                serviceId.toString(),
                new ServiceDirectory.TlsSetting(
                        mode,
                        ServiceDirectory.TlsSetting.CUSTOM.equals(mode) ? certificateId.toString() : null,
                        redirectHttp,
                        hsts));
        follow(svc);
        return settingOf(svc);
    }

    /** A service changed: follow its domains (auto) or forget its certificate (deleted). */
    public void serviceChanged(String serviceId, String action) {
        UUID id;
        try {
            id = UUID.fromString(serviceId);
        } catch (IllegalArgumentException e) {
            return;
        }
        if ("DELETED".equals(action)) {
            store.deleteServiceTls(id);
            store.forService(id).ifPresent(c -> store.delete(c.id()));
            return;
        }
        services.service(serviceId).ifPresent(this::follow);
    }

    /**
     * With tls auto, the service has its ACME certificate of all its current domains (created or re-domained,
     * which orders it). Other modes keep an existing service certificate (it is served again when switched back).
     */
    private synchronized void follow(ServiceDirectory.ServiceInfo svc) {
        if (!ServiceDirectory.TlsSetting.AUTO.equals(svc.tls().mode())) {
            if (ServiceDirectory.TlsSetting.CUSTOM.equals(svc.tls().mode())) {
                String p = problem(settingOf(svc, null));
                if (p != null) {
                    LOG.warn("Service {} asks for tls custom, but {}: served over plain HTTP", svc.name(), p);
                }
            }
            return;
        }
        UUID id = UUID.fromString(svc.id());
        List<String> domains = new ArrayList<>(new LinkedHashSet<>(svc.domains()));
        StoredCertificate c = store.forService(id).orElse(null);
        if (c == null) {
            store.createAcme(id, domains);
        } else if (!c.domains().equals(domains)) {
            store.redomain(c.id(), domains);
        } else if (wasPaused(c, Instant.now())) {
            store.dueNow(c.id()); // back to auto: the renewal (or first order) it missed while paused
        }
        desired.changed(ProxySpec.SECTION);
    }

    /**
     * Whether a certificate was postponed by {@link #paused}: never issued and not due (a PENDING certificate waits
     * for nothing else), or issued, VALID, past its renewal time and not due. A FAILED one waits for its backoff.
     */
    static boolean wasPaused(StoredCertificate c, Instant now) {
        if (c.nextAttemptAt() == null || !c.nextAttemptAt().isAfter(now)) {
            return false;
        }
        if (c.state() == CertificateState.PENDING) {
            return true;
        }
        return c.state() == CertificateState.VALID
                && c.renewAt() != null
                && !c.renewAt().isAfter(now);
    }

    /**
     * Moves the settings of version 1 ({@code certificate_service_tls}, written by {@code PUT /services/{id}/tls}
     * before services carried {@code tls}) into the services, once; a service whose {@code tls} is set wins.
     */
    void migrateLegacySettings() {
        for (CertificateStore.ServiceTls t : store.allServiceTls()) {
            try {
                services.service(t.serviceId().toString()).ifPresent(svc -> {
                    if (!svc.tls().enabled() && !"off".equals(t.mode())) {
                        services.setTls(
                                svc.id(),
                                new ServiceDirectory.TlsSetting(
                                        t.mode(),
                                        "custom".equals(t.mode()) && t.certificateId() != null
                                                ? t.certificateId().toString()
                                                : null,
                                        t.redirectHttp(),
                                        t.hstsMaxAge()));
                    }
                });
                store.deleteServiceTls(t.serviceId());
            } catch (RuntimeException e) {
                LOG.warn(
                        "Could not move the TLS settings of service {} into the service: {}",
                        t.serviceId(),
                        e.toString());
                return;
            }
        }
    }

    private static UUID uuidOrNull(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
