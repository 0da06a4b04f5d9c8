package dev.fleetgate.pages.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.fleetgate.proxy.ErrorPage;
import dev.fleetgate.proxy.Location;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.Site;
import dev.fleetgate.proxy.Upstream;

class PageRendererTest {
    private static final String ID = "5b0c3d2e-1f4a-4b5c-8d6e-7f8091a2b3c4";
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private final PageRenderer renderer = new PageRenderer(new PageTemplates());

    private static ProxySpec spec() {
        Site site = new Site(
                ID,
                ID,
                "shop",
                List.of("shop.example.com"),
                List.of(),
                List.of(
                        new Location("/.well-known/acme-challenge/", Location.Match.PREFIX, null, "acme-challenge"),
                        Location.proxy("/", "svc-" + ID)),
                null,
                null,
                null,
                0,
                null,
                null,
                null,
                false);
        Site module = new Site(
                "other",
                null,
                null,
                List.of("x.example.com"),
                List.of(),
                List.of(),
                null,
                null,
                null,
                0,
                null,
                null,
                null,
                false);
        Upstream up = new Upstream("svc-" + ID, ID, null, 16, List.of(), null);
        return new ProxySpec(List.of(site, module), List.of(up), null, null);
    }

    private static Map<Integer, ErrorPage> pages(Site s) {
        Map<Integer, ErrorPage> m = new java.util.TreeMap<>();
        for (ErrorPage p : s.errorPages()) {
            for (int st : p.statuses()) {
                m.put(st, p);
            }
        }
        return m;
    }

    @Test
    void gatewayErrorsGetTheFleetPagesOthersPassThrough() {
        ProxySpec out = renderer.render(spec(), Map.of(), Map.of(), NOW);
        Site s = out.site(ID).orElseThrow();
        Map<Integer, ErrorPage> p = pages(s);
        assertEquals(List.of(502, 503, 504), List.copyOf(p.keySet()));
        assertTrue(p.get(502).body().contains("Bad Gateway"));
        assertTrue(p.get(503).body().contains("shop.example.com"));
        assertEquals("text/html; charset=utf-8", p.get(504).contentType());
        assertTrue(out.site("other").orElseThrow().errorPages().isEmpty(), "module sites are left alone");
        assertEquals(out, renderer.render(spec(), Map.of(), Map.of(), NOW.plusSeconds(3600)), "deterministic");
        var problems =
                out.extensions().get(PageRenderer.EXTENSION).path("problems").path(ID);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.path("502").asText().contains("\"title\":\"Bad Gateway\""), problems.toString());
        assertFalse(out.extensions().get(PageRenderer.EXTENSION).has("maintenance"));
    }

    @Test
    void serviceOverridesWinAndOptInToTheirStatus() {
        Map<String, Map<String, String>> stored = Map.of(
                PagesStore.DEFAULT_SCOPE,
                Map.of("502", "fleet {{status}}"),
                ID,
                Map.of("404", "own {{status}} {{service}}", "503", "own503"));
        Map<Integer, ErrorPage> p =
                pages(renderer.render(spec(), stored, Map.of(), NOW).site(ID).orElseThrow());
        assertEquals(List.of(404, 502, 503, 504), List.copyOf(p.keySet()));
        assertEquals("own 404 shop", p.get(404).body());
        assertEquals("fleet 502", p.get(502).body());
        assertEquals("own503", p.get(503).body());
    }

    @Test
    void maintenanceServesItsPageAndNamesTheSiteWithItsAllowlistForTheAgent() {
        PagesStore.Maintenance m = new PagesStore.Maintenance(
                UUID.fromString(ID), true, "Back at ten", 120, List.of("127.0.0.1", "10.0.0.0/8"), null, null);
        ProxySpec out = renderer.render(spec(), Map.of(), Map.of(ID, m), NOW);
        Site s = out.site(ID).orElseThrow();
        assertEquals(
                spec().site(ID).orElseThrow().locations(), s.locations(), "routing unchanged (allowlisted clients)");
        assertTrue(s.responseHeaders().isEmpty(), "Retry-After only on the maintenance answers (agent)");
        String body = pages(s).get(503).body();
        assertTrue(body.contains("Back at ten") && body.contains("under maintenance"), body);
        assertEquals(
                "{\"" + ID + "\":{\"allow\":[\"127.0.0.1\",\"10.0.0.0/8\"],\"retryAfterSeconds\":120}}",
                out.extensions().get(PageRenderer.EXTENSION).path("maintenance").toString());
        assertEquals(
                "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                        + "\"detail\":\"Back at ten\",\"service\":\"shop\",\"maintenance\":true,\"retryAfterSeconds\":120}",
                out.extensions()
                        .get(PageRenderer.EXTENSION)
                        .path("problems")
                        .path(ID)
                        .path("503")
                        .asText());
        assertTrue(pages(s).get(502).body().contains("Bad Gateway"), "the other pages stay");
    }

    @Test
    void maintenanceWindowsAreJudgedAtTheGivenTime() {
        PagesStore.Maintenance w = new PagesStore.Maintenance(
                UUID.fromString(ID), true, null, null, List.of(), NOW.plusSeconds(60), NOW.plusSeconds(120));
        assertFalse(inMaintenance(renderer.render(spec(), Map.of(), Map.of(ID, w), NOW)));
        assertTrue(inMaintenance(renderer.render(spec(), Map.of(), Map.of(ID, w), NOW.plusSeconds(60))));
        assertFalse(inMaintenance(renderer.render(spec(), Map.of(), Map.of(ID, w), NOW.plusSeconds(120))));
        PagesStore.Maintenance off =
                new PagesStore.Maintenance(UUID.fromString(ID), false, null, null, List.of(), null, null);
        assertFalse(inMaintenance(renderer.render(spec(), Map.of(), Map.of(ID, off), NOW)));
    }

    @Test
    void aTemplateThatFailsNowFallsBackToTheShippedOne() {
        Map<String, Map<String, String>> stored = Map.of(ID, Map.of("502", "{{#x}}unclosed"));
        String body = pages(
                        renderer.render(spec(), stored, Map.of(), NOW).site(ID).orElseThrow())
                .get(502)
                .body();
        assertTrue(body.contains("Bad Gateway"), body);
    }

    private static boolean inMaintenance(ProxySpec s) {
        return s.extensions().get(PageRenderer.EXTENSION).has("maintenance");
    }
}
