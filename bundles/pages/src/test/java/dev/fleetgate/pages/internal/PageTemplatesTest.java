package dev.fleetgate.pages.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PageTemplatesTest {
    private final PageTemplates templates = new PageTemplates();

    @Test
    void shippedPagesAreSelfContainedAccessibleHtmlThatRenders() {
        for (String key : PageTemplates.KEYS) {
            String html = templates.shipped(key);
            assertNull(templates.validate(key, html), key);
            String out = templates.render(html, PageTemplates.scope(key, "shop", "shop.example.com", "", 120, null));
            assertTrue(out.startsWith("<!DOCTYPE html>"), key);
            assertTrue(out.contains("<html lang=\"en\">"), key);
            assertTrue(out.contains("<style>"), key);
            assertTrue(out.contains("name=\"viewport\""), key);
            assertTrue(out.contains("<h1"), key);
            // self-contained: nothing loaded from elsewhere
            assertTrue(!out.contains("src=\"http") && !out.contains("href=\"http") && !out.contains("<script"), key);
            assertTrue(out.contains("shop.example.com"), key);
        }
        String bad = templates.render(templates.shipped("502"), PageTemplates.scope("502", "s", "d", "", null, null));
        assertTrue(bad.contains("502") && bad.contains("Bad Gateway"), bad);
        String m = templates.render(
                templates.shipped("maintenance"),
                PageTemplates.scope("maintenance", "shop", "d", "", 300, "Back at 10:00"));
        assertTrue(
                m.contains("Back at 10:00") && m.contains("300 seconds") && m.contains("shop is under maintenance"), m);
    }

    @Test
    void valuesAreHtmlEscaped() {
        String out = templates.render(
                "<p>{{message}}</p>", PageTemplates.scope("503", "s", "d", "", null, "<script>alert(1)</script>"));
        assertEquals("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", out);
    }

    @Test
    void contractVariablesRender() {
        String out = templates.render(
                "{{status}}|{{service}}|{{message}}|{{reason}}|{{domain}}|{{retryAfter}}",
                PageTemplates.scope("504", "api", "api.example.com", "", 30, "slow"));
        assertEquals("504|api|slow|Gateway Timeout|api.example.com|30", out);
    }

    @Test
    void invalidTemplatesAreRefusedWithTheReason() {
        String unclosed = templates.validate("503", "<p>{{#maintenance}}open</p>");
        assertNotNull(unclosed);
        assertTrue(unclosed.startsWith("is not a valid mustache template"), unclosed);
        String partial = templates.validate("503", "{{> /etc/passwd}}");
        assertNotNull(partial);
        assertTrue(partial.contains("partials are not supported"), partial);
        String big = templates.validate("503", "x".repeat(PageTemplates.MAX_BYTES + 1));
        assertEquals("is larger than 65536 bytes", big);
        assertNull(templates.validate("503", "x".repeat(PageTemplates.MAX_BYTES)));
    }

    @Test
    void sampleHasEveryDocumentedVariable() {
        Map<String, Object> s = PageTemplates.sample("maintenance");
        for (String v : PageTemplates.VARIABLES.keySet()) {
            assertTrue(s.containsKey(v), v);
        }
        assertEquals(503, s.get("status"));
    }
}
