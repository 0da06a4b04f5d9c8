package dev.fleetgate.pages.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.proxy.ErrorPage;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.Site;

/**
 * Turns templates and maintenance settings into the proxy spec of an agent (pure: same inputs, same spec).
 *
 * <ul>
 * <li>Every service site gets the pages of 502, 503 and 504 (what nginx itself answers when no target is
 * healthy, a target refuses or times out), rendered from the service's override or the fleet-wide
 * template; the other statuses (403, 404, 429, 500) only when the service has its own override for them
 * (an API's own 404 is not clobbered). The agent's Lua replaces a status whoever produced it (see README).</li>
 * <li>A service in maintenance: its 503 page is the maintenance page, and the spec's extension {@value #EXTENSION}
 * names the site with its allowlist and Retry-After; the agent's Lua answers 503 (that page) with {@code Retry-After}
 * to every other client before routing.</li>
 * <li>Every page has a problem+json twin (extension {@code problems}), served to clients whose {@code Accept}
 * names JSON.</li>
 * </ul>
 */
public final class PageRenderer {
    /** Statuses replaced by default. */
    public static final List<String> DEFAULT_REPLACED = List.of("502", "503", "504");

    static final String CONTENT_TYPE = "text/html; charset=utf-8";
    /** The key of the spec's extension: {@code {"maintenance": {"<siteId>": {"allow": [cidr], "retryAfterSeconds"}}}}. */
    public static final String EXTENSION = "pages";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PageTemplates templates;

    public PageRenderer(PageTemplates templates) {
        this.templates = templates;
    }

    /**
     * @param stored      scope → (key → template) as stored
     * @param maintenance service id → its setting
     * @param now         the time maintenance windows are judged at
     */
    public ProxySpec render(
            ProxySpec spec,
            Map<String, Map<String, String>> stored,
            Map<String, PagesStore.Maintenance> maintenance,
            Instant now) {
        Map<String, String> defaults = stored.getOrDefault(PagesStore.DEFAULT_SCOPE, Map.of());
        ObjectNode inMaintenance = JSON.createObjectNode();
        ObjectNode problems = JSON.createObjectNode();
        List<Site> sites = new ArrayList<>();
        for (Site site : spec.sites()) {
            if (site.serviceId() == null) {
                sites.add(site);
                continue;
            }
            Map<String, String> own = stored.getOrDefault(site.serviceId(), Map.of());
            PagesStore.Maintenance m = maintenance.get(site.serviceId());
            boolean active = m != null && m.activeAt(now);
            Site rendered = site(site, defaults, own, active ? m : null);
            sites.add(rendered);
            ObjectNode p = problems.putObject(site.id());
            for (ErrorPage page : rendered.errorPages()) {
                for (int status : page.statuses()) {
                    p.put(String.valueOf(status), problem(status, site, active && status == 503 ? m : null));
                }
            }
            if (active) {
                ObjectNode n = inMaintenance.putObject(site.id());
                ArrayNode allow = n.putArray("allow");
                m.allow().forEach(allow::add);
                if (m.retryAfterSeconds() != null) {
                    n.put("retryAfterSeconds", m.retryAfterSeconds());
                }
            }
        }
        ProxySpec out = spec.withSites(sites);
        if (!problems.isEmpty()) {
            ObjectNode pages = JSON.createObjectNode();
            if (!inMaintenance.isEmpty()) {
                pages.set("maintenance", inMaintenance);
            }
            pages.set("problems", problems);
            out = out.withExtension(EXTENSION, pages);
        }
        return out;
    }

    /** The problem+json (RFC 9457) body served instead of a page to clients that accept JSON. */
    static String problem(int status, Site site, PagesStore.Maintenance m) {
        String key = m != null ? PageTemplates.MAINTENANCE : String.valueOf(status);
        Map<String, Object> scope = PageTemplates.scope(
                key,
                site.serviceName(),
                null,
                null,
                m == null ? null : m.retryAfterSeconds(),
                m == null ? null : m.message());
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "about:blank");
        n.put("title", PageTemplates.reason(PageTemplates.KEYS.contains(key) ? key : "500"));
        n.put("status", status);
        n.put("detail", String.valueOf(scope.get("message")));
        if (site.serviceName() != null) {
            n.put("service", site.serviceName());
        }
        if (m != null) {
            n.put("maintenance", true);
            if (m.retryAfterSeconds() != null) {
                n.put("retryAfterSeconds", m.retryAfterSeconds());
            }
        }
        return n.toString();
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
        if (m != null) {
            String key = PageTemplates.MAINTENANCE;
            String html = own.getOrDefault(key, defaults.getOrDefault(key, templates.shipped(key)));
            bodies.put(
                    503, render(key, html, name, domain, m.retryAfterSeconds(), m.message(), m.startsAt(), m.endsAt()));
        }
        // one ErrorPage per distinct body, statuses sorted: deterministic
        Map<String, List<Integer>> byBody = new TreeMap<>();
        bodies.forEach((status, body) ->
                byBody.computeIfAbsent(body, b -> new ArrayList<>()).add(status));
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
        return site.withErrorPages(pages);
    }

    private String render(
            String key,
            String html,
            String service,
            String domain,
            Integer retryAfter,
            String message,
            Instant since,
            Instant until) {
        // no wall-clock time: an unchanged input must give an unchanged spec
        Map<String, Object> scope =
                PageTemplates.scope(key, service, domain, since == null ? "" : since.toString(), retryAfter, message);
        scope.put("until", until == null ? "" : until.toString());
        try {
            return templates.render(html, scope);
        } catch (IllegalArgumentException e) {
            // validated on the way in; a template that fails now falls back to the shipped one
            return templates.render(templates.shipped(key), scope);
        }
    }
}
