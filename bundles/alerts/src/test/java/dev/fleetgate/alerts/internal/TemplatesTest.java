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
        String text = templates.render(Templates.builtin("telegram", "opened"),
                Templates.vars(i, "opened", "https://fleet.example/", now));
        assertEquals(List.of("[WARNING] CPU above 85%: agent=web-1", "host_cpu_usage_percent = 91.50 > 85",
                "Value: 91.50 (threshold > 85)", "Since: " + i.openedAt(),
                "https://fleet.example/incidents/" + i.id()), text.lines().toList());
        assertEquals("[WARNING] CPU above 85%: agent=web-1", Templates.title(text));
    }

    @Test
    void theBuiltInResolvedEmailListsTheLabels() {
        Incident o = Dispatcher.sample(null);
        Incident i = new Incident(o.id(), o.ruleId(), o.ruleName(), o.kind(), o.subject(), "RESOLVED", o.severity(),
                40.0, o.threshold(), o.op(), o.metric(), o.message(), Map.of("agent", "web-1", "mount", "/"),
                o.openedAt().minusSeconds(7200), o.lastSeenAt(), o.openedAt().plusSeconds(125), null, null, false);
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
        Map<List<String>, String> stored = Map.of(List.of("*", "telegram", "opened"), "star",
                List.of("agent.offline", "telegram", "opened"), "kind");
        assertEquals("kind", Templates.pick(stored, "agent.offline", "telegram", "opened"));
        assertEquals("kind", Templates.pick(stored, "agent.offline", "telegram", "repeat"));
        assertEquals("star", Templates.pick(stored, "metric", "telegram", "opened"));
        assertEquals(Templates.builtin("telegram", "resolved"), Templates.pick(stored, "metric", "telegram", "resolved"));
    }

    @Test
    void durations() {
        assertEquals("45s", Templates.human(java.time.Duration.ofSeconds(45)));
        assertEquals("5m", Templates.human(java.time.Duration.ofSeconds(330)));
        assertEquals("1d 2h 3m", Templates.human(java.time.Duration.ofSeconds(86400 + 7200 + 180)));
    }
}
