package dev.fleetgate.certificates.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.proxy.Listen;
import dev.fleetgate.proxy.Location;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ProxySpecContributor;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.proxy.Site;
import dev.fleetgate.proxy.Tls;

/**
 * Adds TLS to the sites of services with {@code tls} auto or custom: the ACME challenge location (so that
 * http-01 works on every agent serving the domain, before and after the redirect), and once a certificate
 * exists an HTTPS listener with the certificate; the private key stays sealed ({@link Tls#sealedKey}). A verified
 * OCSP response of the certificate ({@link OcspRefresher}) goes with it for the agents to staple.
 */
@Component(
        service = ProxySpecContributor.class,
        property = ProxySpecContributor.PROVIDES + "=" + ProxySpecContributor.PROVIDES_TLS)
public final class TlsContributor implements ProxySpecContributor {
    static final String ACME_PATH = "/.well-known/acme-challenge/";
    static final String ACME_HANDLER = "acme-challenge";

    private final CertificateStore store;
    private final ServiceDirectory services;
    private final OcspStore ocsp;

    @Activate
    public TlsContributor(@Reference CertificateStore store, @Reference ServiceDirectory services) {
        this.store = store;
        this.services = services;
        this.ocsp = new OcspStore(store.dataSource());
    }

    @Override
    public ProxySpec contribute(AgentInfo agent, ProxySpec spec) {
        List<ServiceDirectory.ServiceInfo> withTls =
                services.services().stream().filter(s -> s.tls().enabled()).toList();
        if (withTls.isEmpty()) {
            return spec;
        }
        Map<UUID, StoredCertificate> certs = new HashMap<>();
        Map<UUID, UUID> own = new HashMap<>();
        for (StoredCertificate c : store.list()) {
            certs.put(c.id(), c);
            if (c.serviceId() != null) {
                own.put(c.serviceId(), c.id());
            }
        }
        Map<UUID, OcspStore.State> ocsp = this.ocsp.all();
        Instant now = Instant.now();
        Map<UUID, CertificateStore.ServiceTls> settings = new HashMap<>();
        for (ServiceDirectory.ServiceInfo svc : withTls) {
            UUID id = uuid(svc.id());
            settings.put(id, CertificateService.settingOf(svc, own.get(id)));
        }
        List<Site> sites = new ArrayList<>();
        boolean changed = false;
        for (Site site : spec.sites()) {
            CertificateStore.ServiceTls t = site.serviceId() == null ? null : settings.get(uuid(site.serviceId()));
            if (t == null) {
                sites.add(site);
                continue;
            }
            StoredCertificate cert = t.certificateId() == null ? null : certs.get(t.certificateId());
            sites.add(apply(site, t, cert, cert == null ? null : staple(cert, ocsp.get(cert.id()), now)));
            changed = true;
        }
        return changed ? spec.withSites(sites) : spec;
    }

    /** @return the verified OCSP response of the certificate's current version to staple now, or null */
    static OcspStore.State staple(StoredCertificate cert, OcspStore.State s, Instant now) {
        return s != null && s.version() == cert.version() && s.stapleAt(now) != null ? s : null;
    }

    static Site apply(Site site, CertificateStore.ServiceTls t, StoredCertificate cert) {
        return apply(site, t, cert, null);
    }

    static Site apply(Site site, CertificateStore.ServiceTls t, StoredCertificate cert, OcspStore.State staple) {
        Site out = site;
        if ("auto".equals(t.mode()) && out.locations().stream().noneMatch(l -> ACME_HANDLER.equals(l.handler()))) {
            List<Location> locs = new ArrayList<>();
            locs.add(new Location(ACME_PATH, Location.Match.PREFIX, null, ACME_HANDLER));
            locs.addAll(out.locations());
            out = out.withLocations(locs);
        }
        if (cert == null || cert.certPem() == null || cert.keySealed() == null) {
            return out; // nothing to serve yet: plain HTTP as before
        }
        List<Listen> listen = new ArrayList<>(out.listen());
        if (listen.stream().noneMatch(Listen::tls)) {
            listen.add(Listen.HTTPS);
        }
        Tls tls = new Tls(
                cert.deployedId(), cert.certPem(), Tls.sealedKey(cert.keySealed()), t.redirectHttp(), t.hstsMaxAge());
        if (staple != null) {
            tls = tls.withOcsp(
                    Base64.getEncoder().encodeToString(staple.response()),
                    staple.nextUpdate() == null ? null : staple.nextUpdate().getEpochSecond());
        }
        return out.withListen(listen).withTls(tls);
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
