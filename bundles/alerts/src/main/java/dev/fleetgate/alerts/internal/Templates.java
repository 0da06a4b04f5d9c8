package dev.fleetgate.alerts.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

/**
 * Message templates (mustache, no HTML escaping, no partials). Lookup for (kind, channel type,
 * event): a stored template for that kind, then for kind {@code *}, then the built-in default of
 * the channel type. {@code repeat} and {@code test} messages use the {@code opened} template
 * (with {@code repeat} / {@code test} true). The first line of the result is the title (e-mail
 * subject). Variables: see {@link #variables}.
 */
public final class Templates {
    public static final List<String> EVENTS = List.of("opened", "resolved");

    static final String OPENED = """
            {{#repeat}}[REMINDER] {{/repeat}}{{#test}}[TEST] {{/test}}[{{severityUpper}}] {{rule}}: {{subject}}
            {{#message}}
            {{message}}
            {{/message}}
            Value: {{value}}{{#threshold}} (threshold {{op}} {{threshold}}){{/threshold}}
            Since: {{since}}{{#flapping}} (flapping){{/flapping}}
            {{#link}}
            {{link}}
            {{/link}}
            """;
    static final String RESOLVED = """
            {{#test}}[TEST] {{/test}}[RESOLVED] {{rule}}: {{subject}}
            Value: {{value}}
            Lasted {{duration}} (since {{since}}, resolved {{resolvedAt}})
            {{#link}}
            {{link}}
            {{/link}}
            """;
    static final String EMAIL_OPENED = OPENED + """
            Rule: {{rule}} ({{kind}}, severity {{severity}})
            Subject: {{subject}}
            {{#labels}}
              {{name}} = {{value}}
            {{/labels}}
            -- Fleetgate
            """;
    static final String EMAIL_RESOLVED = RESOLVED + """
            Rule: {{rule}} ({{kind}}, severity {{severity}})
            {{#labels}}
              {{name}} = {{value}}
            {{/labels}}
            -- Fleetgate
            """;

    /** The documented variables (name → meaning), for the API and the README. */
    public static final Map<String, String> VARIABLES = variables();

    private final DefaultMustacheFactory factory = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value); // plain text: no HTML escaping
            } catch (IOException e) {
                throw new MustacheException(e);
            }
        }

        @Override
        public Reader getReader(String resourceName) {
            throw new MustacheException("Partials are not supported: {{> " + resourceName + "}}");
        }
    };
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    /** @return the built-in template of a channel type and event */
    public static String builtin(String channelType, String event) {
        boolean resolved = "resolved".equals(event);
        if ("email".equals(channelType)) {
            return resolved ? EMAIL_RESOLVED : EMAIL_OPENED;
        }
        return resolved ? RESOLVED : OPENED;
    }

    /**
     * @param overrides (kind, channel type, event) → body of the stored templates
     * @return the template body for a message
     */
    public static String pick(Map<List<String>, String> overrides, String kind, String channelType, String event) {
        String e = "resolved".equals(event) ? "resolved" : "opened";
        String body = overrides.get(List.of(kind, channelType, e));
        if (body == null) {
            body = overrides.get(List.of("*", channelType, e));
        }
        return body == null ? builtin(channelType, e) : body;
    }

    /**
     * @throws IllegalArgumentException when the template does not compile or render, with the reason
     */
    public String render(String body, Map<String, Object> vars) {
        Mustache m;
        try {
            m = compiled.get(body);
            if (m == null) {
                m = factory.compile(new StringReader(body), "template");
                if (compiled.size() > 500) {
                    compiled.clear();
                }
                compiled.put(body, m);
            }
            StringWriter out = new StringWriter();
            m.execute(out, vars).flush();
            return out.toString();
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(msg.length() > 300 ? msg.substring(0, 300) : msg, e);
        }
    }

    /** @return the first non-empty line, at most 200 characters */
    public static String title(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                String t = line.strip();
                return t.length() > 200 ? t.substring(0, 200) : t;
            }
        }
        return "Fleetgate alert";
    }

    /**
     * @param event       opened, resolved, repeat or test
     * @param webBaseUrl  the web admin's base URL or empty
     */
    public static Map<String, Object> vars(Incident i, String event, String webBaseUrl, Instant now) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("event", event);
        v.put("opened", "opened".equals(event) || "repeat".equals(event));
        v.put("resolved", "resolved".equals(event));
        v.put("repeat", "repeat".equals(event));
        v.put("test", "test".equals(event));
        v.put("incidentId", i.id().toString());
        v.put("ruleId", i.ruleId().toString());
        v.put("rule", i.ruleName());
        v.put("kind", i.kind());
        v.put("severity", i.severity());
        v.put("severityUpper", i.severity().toUpperCase(Locale.ROOT));
        v.put("subject", i.subject());
        v.put("state", i.state());
        v.put("value", IncidentEngine.format(i.value()));
        v.put("threshold", i.threshold() == null ? null : IncidentEngine.format(i.threshold()));
        v.put("op", i.op());
        v.put("metric", i.metric());
        v.put("message", i.message());
        v.put("since", i.openedAt().toString());
        v.put("lastSeen", i.lastSeenAt().toString());
        v.put("resolvedAt", i.resolvedAt() == null ? null : i.resolvedAt().toString());
        v.put("duration", human(Duration.between(i.openedAt(), i.resolvedAt() == null ? now : i.resolvedAt())));
        v.put("flapping", i.flapping());
        List<Map<String, String>> labels = new ArrayList<>();
        new java.util.TreeMap<>(i.labels()).forEach((k, val) -> labels.add(Map.of("name", k, "value", val)));
        v.put("labels", labels);
        v.put("label", new java.util.TreeMap<>(i.labels()));
        String base = webBaseUrl == null ? "" : webBaseUrl.replaceAll("/+$", "");
        v.put("link", base.isEmpty() ? null : base + "/incidents/" + i.id());
        return v;
    }

    /** @return e.g. {@code 2h 5m}, {@code 45s} */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        long days = s / 86400;
        long h = s % 86400 / 3600;
        long m = s % 3600 / 60;
        StringBuilder b = new StringBuilder();
        if (days > 0) {
            b.append(days).append("d ");
        }
        if (h > 0 || days > 0) {
            b.append(h).append("h ");
        }
        b.append(m).append('m');
        return b.toString();
    }

    private static Map<String, String> variables() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("event", "opened, resolved, repeat or test");
        v.put("opened / resolved / repeat / test", "booleans for sections, e.g. {{#repeat}}[REMINDER] {{/repeat}}");
        v.put("rule", "the rule's name");
        v.put("ruleId", "the rule's id");
        v.put("kind", "metric, or the event kind (e.g. agent.offline)");
        v.put("severity", "info, warning or critical");
        v.put("severityUpper", "the same in capitals");
        v.put("subject", "what the incident is about (e.g. agent=…,mount=/)");
        v.put("state", "OPEN or RESOLVED");
        v.put("value", "the last value (metric rules) or the event's value");
        v.put("threshold", "the rule's threshold (metric rules)");
        v.put("op", "the rule's operator");
        v.put("metric", "the metric name (metric rules)");
        v.put("message", "what happened, one line");
        v.put("since", "when it started (ISO-8601, sample time)");
        v.put("lastSeen", "when the condition was last seen");
        v.put("resolvedAt", "when it ended");
        v.put("duration", "how long it lasted (or lasts so far), e.g. 2h 5m");
        v.put("flapping", "true when the subject is flapping");
        v.put("labels", "list of {name, value}: {{#labels}}{{name}}={{value}} {{/labels}}");
        v.put("label", "the labels by name: {{label.monitor}}, {{#label.service}}…{{/label.service}}");
        v.put("incidentId", "the incident's id");
        v.put("link", "link to the incident in the web admin (when webBaseUrl is configured)");
        return java.util.Collections.unmodifiableMap(v);
    }
}
