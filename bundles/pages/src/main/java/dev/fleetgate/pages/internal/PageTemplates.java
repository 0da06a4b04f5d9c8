package dev.fleetgate.pages.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

/**
 * The page templates: the shipped defaults, validation (size, compiles, renders with sample data) and
 * rendering. Values are HTML-escaped ({@code {{x}}}); {@code {{{x}}}} is raw. Partials are refused.
 */
public final class PageTemplates {
    /** The page keys: an HTTP status, or {@code maintenance}. */
    public static final List<String> KEYS = List.of("403", "404", "429", "500", "502", "503", "504", "maintenance");

    public static final String MAINTENANCE = "maintenance";
    /** Largest template (UTF-8 bytes). */
    public static final int MAX_BYTES = 64 * 1024;
    /** Largest rendered page (UTF-8 bytes): it travels in every agent's routing document. */
    public static final int MAX_RENDERED_BYTES = 128 * 1024;

    /** The documented variables (name → meaning), for the API and the README. */
    public static final Map<String, String> VARIABLES = variables();

    private static final Map<String, String[]> TEXTS = Map.of(
            "403",
            new String[] {"Forbidden", "You are not allowed to open this page."},
            "404",
            new String[] {"Not Found", "The page you are looking for does not exist."},
            "429",
            new String[] {"Too Many Requests", "You sent too many requests. Please slow down and try again."},
            "500",
            new String[] {"Internal Server Error", "Something went wrong on our side."},
            "502",
            new String[] {"Bad Gateway", "The service is not answering right now. Please try again in a moment."},
            "503",
            new String[] {"Service Unavailable", "The service is temporarily unavailable. Please try again in a moment."
            },
            "504",
            new String[] {"Gateway Timeout", "The service took too long to answer. Please try again."},
            MAINTENANCE,
            new String[] {"Service Unavailable", "We are carrying out maintenance. We will be back soon."});

    private final DefaultMustacheFactory factory = new DefaultMustacheFactory() {
        @Override
        public Reader getReader(String resourceName) {
            throw new MustacheException("partials are not supported: {{> " + resourceName + "}}");
        }
    };
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();
    private final String defaultPage = resource("default.html");
    private final String maintenancePage = resource("maintenance.html");

    /** @return the shipped template of a key */
    public String shipped(String key) {
        return MAINTENANCE.equals(key) ? maintenancePage : defaultPage;
    }

    /** @return the HTTP status a key answers */
    public static int status(String key) {
        return MAINTENANCE.equals(key) ? 503 : Integer.parseInt(key);
    }

    /** @return the reason phrase of a key's status */
    public static String reason(String key) {
        String[] t = TEXTS.get(key);
        return t == null ? "Error" : t[0];
    }

    /**
     * The variables of a page.
     *
     * @param message the operator's message, or null for the key's default text
     */
    public static Map<String, Object> scope(
            String key, String service, String domain, String time, Integer retryAfterSeconds, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status(key));
        m.put("reason", reason(key));
        m.put("service", service == null ? "" : service);
        m.put("domain", domain == null ? "" : domain);
        m.put("time", time == null ? "" : time);
        m.put("retryAfter", retryAfterSeconds == null ? "" : retryAfterSeconds.toString());
        m.put("message", message == null || message.isBlank() ? TEXTS.getOrDefault(key, TEXTS.get("500"))[1] : message);
        m.put("maintenance", MAINTENANCE.equals(key));
        m.put("until", "");
        m.put("requestId", ""); // not known when the page is rendered (see README)
        return m;
    }

    /** @return the variables of the preview and of validation */
    public static Map<String, Object> sample(String key) {
        return scope(key, "shop", "shop.example.com", "2026-01-01T00:00:00Z", 300, null);
    }

    /**
     * @return null when the template is acceptable, else the reason
     */
    public String validate(String key, String html) {
        if (html.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "is larger than " + MAX_BYTES + " bytes";
        }
        try {
            String out = render(html, sample(key));
            if (out.getBytes(StandardCharsets.UTF_8).length > MAX_RENDERED_BYTES) {
                return "renders to more than " + MAX_RENDERED_BYTES + " bytes";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "is not a valid mustache template: " + e.getMessage();
        }
    }

    /**
     * @throws IllegalArgumentException when the template does not compile or render, with the reason
     */
    public String render(String html, Map<String, Object> scope) {
        try {
            Mustache m = compiled.get(html);
            if (m == null) {
                m = factory.compile(new StringReader(html), "page");
                if (compiled.size() > 500) {
                    compiled.clear();
                }
                compiled.put(html, m);
            }
            StringWriter out = new StringWriter();
            m.execute(out, scope).flush();
            return out.toString();
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(msg.length() > 300 ? msg.substring(0, 300) : msg, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = PageTemplates.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> variables() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("status", "the HTTP status (503 for maintenance)");
        m.put("reason", "its reason phrase, e.g. Bad Gateway");
        m.put("service", "the service's name");
        m.put("domain", "the service's first domain");
        m.put(
                "time",
                "maintenance page: when the maintenance window starts (ISO-8601 UTC), if it has a start; else empty"
                        + " (pages are rendered by the core when they change, not per request)");
        m.put("until", "maintenance page: when it ends (ISO-8601 UTC), if it has an end; else empty");
        m.put("retryAfter", "seconds of Retry-After (maintenance), or empty");
        m.put("message", "the operator's maintenance message, else a default text for the status");
        m.put("maintenance", "true on the maintenance page (for {{#maintenance}} sections)");
        m.put("requestId", "always empty: pages are rendered before the request (not done, see README)");
        return m;
    }
}
