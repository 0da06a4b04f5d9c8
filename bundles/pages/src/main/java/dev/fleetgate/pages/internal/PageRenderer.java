package dev.fleetgate.pages.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.fleetgate.proxy.ErrorPage;
import dev.fleetgate.proxy.Location;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.Site;
import dev.fleetgate.proxy.Upstream;

/**
 * Turns templates and maintenance settings into the proxy spec of an agent (pure: same inputs, same spec).
 *
 * <ul>
 * <li>Every service site gets the pages of 502, 503 and 504 (what nginx itself answers when no target is
 * healthy, a target refuses or times out), rendered from the service's override or the fleet-wide
 * template; the other statuses (403, 404, 429, 500) only when the service has its own override for them
 * (an API's own 404 is not clobbered). The agent's Lua replaces a status whoever produced it (see README).</li>
 * <li>A service in maintenance: every location goes to an upstream without targets (the agent answers 503
 * from its no-healthy-target socket), whose page is the maintenance page, with {@code Retry-After}.</li>
 * </ul>
 */
public final class PageRenderer {
    /** Statuses replaced by default. */
    public static final List<String> DEFAULT_REPLACED = List.of("502", "503", "504");
    static final String CONTENT_TYPE = "text/html; charset=utf-8";
    static final String MAINTENANCE_UPSTREAM = "pages-maintenance";

    private final PageTemplates templates;

    public PageRenderer(PageTemplates templates) {
        this.templates = templates;
    }

    /**
     * @param stored      scope → (key → template) as stored
     * @param maintenance service id → its setting
     * @param now         the time maintenance windows are judged at
     */
    public ProxySpec render(ProxySpec spec, Map<String, Map<String, String>> stored,
            Map<String, PagesStore.Maintenance> maintenance, Instant now) {
        Map<String, String> defaults = stored.getOrDefault(PagesStore.DEFAULT_SCOPE, Map.of());
        boolean anyMaintenance = false;
        List<Site> sites = new ArrayList<>();
        for (Site site : spec.sites()) {
            if (site.serviceId() == null) {
                sites.add(site);
                continue;
            }
            Map<String, String> own = stored.getOrDefault(site.serviceId(), Map.of());
            PagesStore.Maintenance m = maintenance.get(site.serviceId());
            boolean inMaintenance = m != null && m.activeAt(now);
            sites.add(site(site, defaults, own, inMaintenance ? m : null));
            anyMaintenance |= inMaintenance;
        }
        ProxySpec out = spec.withSites(sites);
        if (anyMaintenance && spec.upstream(MAINTENANCE_UPSTREAM).isEmpty()) {
            List<Upstream> ups = new ArrayList<>(spec.upstreams());
            ups.add(new Upstream(MAINTENANCE_UPSTREAM, null, Upstream.LbMethod.ROUND_ROBIN, 0, List.of(), null));
            out = out.withUpstreams(ups);
        }
        return out;
    }

    private Site site(Site site, Map<String, String> defaults, Map<String, String> own, PagesStore.Maintenance m) {
        String name = site.serviceName();
        String domain = site.serverNames().isEmpty() ? "" : site.serverNames().get(0);
        Map<Integer, String> bodies = new TreeMap<>();
        for (String key : PageTemplates.KEYS) {
            if (PageTemplates.MAINTENANCE.equals(key) || !(DEFAULT_REPLACED.contains(key) || own.containsKey(key))) {
                continue;
            }
            String html = own.getOrDefault(key, defaults.getOrDefault(key, templates.shipped(key)));
            bodies.put(PageTemplates.status(key), render(key, html, name, domain, null, null, null, null));
        }
        Site out = site;
        if (m != null) {
            String key = PageTemplates.MAINTENANCE;
            String html = own.getOrDefault(key, defaults.getOrDefault(key, templates.shipped(key)));
            bodies.put(503, render(key, html, name, domain, m.retryAfterSeconds(), m.message(), m.startsAt(), m.endsAt()));
            List<Location> locs = new ArrayList<>();
            for (Location l : site.locations()) {
                locs.add(l.handler() != null ? l : new Location(l.path(), l.match(), MAINTENANCE_UPSTREAM, null));
            }
            out = out.withLocations(locs);
            if (m.retryAfterSeconds() != null) {
                Map<String, String> headers = new TreeMap<>(out.responseHeaders());
                headers.put("Retry-After", m.retryAfterSeconds().toString());
                out = new Site(out.id(), out.serviceId(), out.serviceName(), out.serverNames(), out.listen(),
                        out.locations(), out.tls(), out.errorPages(), out.accessRules(), out.maxBodyBytes(),
                        out.timeouts(), out.requestHeaders(), headers, out.websockets());
            }
        }
        // one ErrorPage per distinct body, statuses sorted: deterministic
        Map<String, List<Integer>> byBody = new TreeMap<>();
        bodies.forEach((status, body) -> byBody.computeIfAbsent(body, b -> new ArrayList<>()).add(status));
        List<ErrorPage> pages = new ArrayList<>();
        for (ErrorPage p : site.errorPages()) {
            List<Integer> statuses = new ArrayList<>(p.statuses());
            statuses.removeIf(bodies::containsKey);
            if (!statuses.isEmpty()) {
                pages.add(new ErrorPage(statuses, p.contentType(), p.body()));
            }
        }
        byBody.forEach((body, statuses) -> pages.add(new ErrorPage(statuses, CONTENT_TYPE, body)));
        pages.sort((a, b) -> Integer.compare(a.statuses().get(0), b.statuses().get(0)));
        return out.withErrorPages(pages);
    }

    private String render(String key, String html, String service, String domain, Integer retryAfter, String message,
            Instant since, Instant until) {
        // no wall-clock time: an unchanged input must give an unchanged spec
        Map<String, Object> scope = PageTemplates.scope(key, service, domain, since == null ? "" : since.toString(),
                retryAfter, message);
        scope.put("until", until == null ? "" : until.toString());
        try {
            return templates.render(html, scope);
        } catch (IllegalArgumentException e) {
            // validated on the way in; a template that fails now falls back to the shipped one
            return templates.render(templates.shipped(key), scope);
        }
    }
}
