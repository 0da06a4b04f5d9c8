package dev.fleetgate.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TemplatesTest {
    private final Templates templates = new Templates();
    private final Instant now = Instant.now();

    @Test
    void theBuiltInOpenedMessage() {
        Incident i = Dispatcher.sample(null);
        String text = templates.render(
                Templates.builtin("telegram", "opened"), Templates.vars(i, "opened", "https://fleet.example/", now));
        assertEquals(
                List.of(
                        "[WARNING] CPU above 85%: agent=web-1",
                        "host_cpu_usage_percent = 91.50 > 85",
                        "Value: 91.50 (threshold > 85)",
                        "Since: " + i.openedAt(),
                        "https://fleet.example/incidents/" + i.id()),
                text.lines().toList());
        assertEquals("[WARNING] CPU above 85%: agent=web-1", Templates.title(text));
    }

    @Test
    void theBuiltInResolvedEmailListsTheLabels() {
        Incident o = Dispatcher.sample(null);
        Incident i = new Incident(
                o.id(),
                o.ruleId(),
                o.ruleName(),
                o.kind(),
                o.subject(),
                "RESOLVED",
                o.severity(),
                40.0,
                o.threshold(),
                o.op(),
                o.metric(),
                o.message(),
                Map.of("agent", "web-1", "mount", "/"),
                o.openedAt().minusSeconds(7200),
                o.lastSeenAt(),
                o.openedAt().plusSeconds(125),
                null,
                null,
                false);
        String text = templates.render(Templates.builtin("email", "resolved"), Templates.vars(i, "resolved", "", now));
        assertTrue(text.startsWith("[RESOLVED] CPU above 85%: agent=web-1\nValue: 40\nLasted 2h 2m"), text);
        assertTrue(text.contains("  agent = web-1\n  mount = /\n"), text);
        assertTrue(!text.contains("http"), "no link without webBaseUrl");
    }

    @Test
    void repeatAndTestAreMarked() {
        Incident i = Dispatcher.sample(null);
        String body = Templates.builtin("webhook", "opened");
        assertTrue(templates.render(body, Templates.vars(i, "repeat", "", now)).startsWith("[REMINDER] [WARNING]"));
        assertTrue(templates.render(body, Templates.vars(i, "test", "", now)).startsWith("[TEST] [WARNING]"));
    }

    @Test
    void noHtmlEscaping() {
        assertEquals("a <b> & \"c\"", templates.render("{{x}}", Map.of("x", "a <b> & \"c\"")));
    }

    @Test
    void brokenTemplatesAndPartialsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> templates.render("{{#rule}} never closed", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> templates.render("{{> /etc/passwd}}", Map.of()));
    }

    @Test
    void storedTemplatesWinByKindThenStar() {
        Map<List<String>, String> stored = Map.of(
                List.of("*", "telegram", "opened"), "star", List.of("agent.offline", "telegram", "opened"), "kind");
        assertEquals("kind", Templates.pick(stored, "agent.offline", "telegram", "opened"));
        assertEquals("kind", Templates.pick(stored, "agent.offline", "telegram", "repeat"));
        assertEquals("star", Templates.pick(stored, "metric", "telegram", "opened"));
        assertEquals(
                Templates.builtin("telegram", "resolved"), Templates.pick(stored, "metric", "telegram", "resolved"));
    }

    @Test
    void durations() {
        assertEquals("45s", Templates.human(java.time.Duration.ofSeconds(45)));
        assertEquals("5m", Templates.human(java.time.Duration.ofSeconds(330)));
        assertEquals("1d 2h 3m", Templates.human(java.time.Duration.ofSeconds(86400 + 7200 + 180)));
    }

    /** The monitor.down templates shipped by migration V7, by (channel type, event). */
    static Map<List<String>, String> shippedMonitorTemplates() throws Exception {
        String sql;
        try (java.io.InputStream in =
                TemplatesTest.class.getClassLoader().getResourceAsStream("db/alerts/V7__monitor_down_templates.sql")) {
            sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Map<List<String>, String> out = new java.util.HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "\\('monitor\\.down', '([a-z]+)', '([a-z]+)', \\$t\\$(.*?)\\$t\\$\\)",
                        java.util.regex.Pattern.DOTALL)
                .matcher(sql);
        while (m.find()) {
            out.put(List.of(m.group(1), m.group(2)), m.group(3));
        }
        return out;
    }

    @Test
    void theShippedMonitorDownTemplatesRenderTheReport() throws Exception {
        Map<List<String>, String> shipped = shippedMonitorTemplates();
        for (String type : List.of("telegram", "email", "webhook")) {
            for (String event : Templates.EVENTS) {
                assertTrue(shipped.containsKey(List.of(type, event)), type + "/" + event + " shipped");
            }
        }
        Incident i = Dispatcher.sample("monitor.down");
        String telegram = templates.render(
                shipped.get(List.of("telegram", "opened")), Templates.vars(i, "opened", "https://fleet.example", now));
        List<String> lines = telegram.lines().toList();
        assertEquals("🔴 Monitor shop is DOWN (status)", lines.get(0), telegram);
        assertEquals(
                "Monitor shop (https://shop.test/) is DOWN: status — unexpected status 500 (agent web-1)",
                lines.get(1),
                telegram);
        assertTrue(telegram.contains("\n  web-1: status — unexpected status 500\nLast success: "), telegram);
        assertTrue(telegram.contains("\nFailing agents: web-1\nhttps://fleet.example/incidents/" + i.id()), telegram);
        assertTrue(templates
                .render(shipped.get(List.of("telegram", "opened")), Templates.vars(i, "repeat", "", now))
                .startsWith("[REMINDER] 🔴 Monitor shop"));

        String email = templates.render(shipped.get(List.of("email", "opened")), Templates.vars(i, "opened", "", now));
        assertEquals("[CRITICAL] Monitor shop is DOWN (status)", Templates.title(email));
        assertTrue(
                email.contains("\nTarget: https://shop.test/\nFailing agents: web-1\nService: shop (25.0% 5xx)\n"),
                email);
        assertTrue(!email.contains("http" + "s://fleet"), "no link without webBaseUrl");

        Incident r = new Incident(
                i.id(),
                i.ruleId(),
                i.ruleName(),
                i.kind(),
                i.subject(),
                "RESOLVED",
                i.severity(),
                0.0,
                null,
                i.op(),
                null,
                i.message(),
                i.labels(),
                i.openedAt(),
                i.lastSeenAt(),
                i.openedAt().plusSeconds(125),
                null,
                null,
                false);
        for (String type : List.of("telegram", "email", "webhook")) {
            String text =
                    templates.render(shipped.get(List.of(type, "resolved")), Templates.vars(r, "resolved", "", now));
            assertTrue(Templates.title(text).endsWith("Monitor shop is UP again"), text);
            assertTrue(text.contains("Down for 2m (since " + i.openedAt() + ", resolved "), text);
        }
        // a monitor event without a service or an error kind: the optional parts disappear
        Incident bare = new Incident(
                i.id(),
                i.ruleId(),
                i.ruleName(),
                i.kind(),
                i.subject(),
                "OPEN",
                i.severity(),
                1.0,
                null,
                i.op(),
                null,
                "Monitor x (https://x.test/) is DOWN",
                Map.of("monitor", "x", "target", "https://x.test/"),
                i.openedAt(),
                i.lastSeenAt(),
                null,
                null,
                null,
                false);
        String e = templates.render(shipped.get(List.of("email", "opened")), Templates.vars(bare, "opened", "", now));
        assertTrue(
                e.startsWith(
                        "[CRITICAL] Monitor x is DOWN\nMonitor x (https://x.test/) is DOWN\n\nTarget: https://x.test/\n"
                                + "Rule: Monitor down"),
                e);
        // and the webhook's
        assertTrue(templates
                .render(shipped.get(List.of("webhook", "opened")), Templates.vars(i, "opened", "", now))
                .startsWith("[CRITICAL] Monitor shop is DOWN (status)\nMonitor shop (https://shop.test/)"));
    }

    @Test
    void labelsAreReadableByName() {
        Incident i = Dispatcher.sample(null);
        assertEquals(
                "web-1|", templates.render("{{label.agent}}|{{label.none}}", Templates.vars(i, "opened", "", now)));
    }
}
