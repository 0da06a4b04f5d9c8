package dev.fleetgate.pages.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.pages.internal.PageTemplates;
import dev.fleetgate.pages.internal.PagesStore;

/** Reading and writing the JSON of the pages API. */
final class PageInput {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_MESSAGE = 2000;
    static final int MAX_ALLOW = 100;

    private PageInput() {}

    static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
    }

    /** @return the page key of a path parameter, or a 400 naming {@code status} */
    static String key(String status) {
        if (status == null || !PageTemplates.KEYS.contains(status)) {
            throw ApiException.invalid("status", "must be one of " + String.join(", ", PageTemplates.KEYS));
        }
        return status;
    }

    /** @return a validated template from {@code {"html"}} */
    static String html(JsonNode body, String key, PageTemplates templates) {
        requireObject(body);
        Fields f = new Fields();
        String html = f.text(body, "html", "html", true);
        if (html != null && html.isBlank()) {
            f.error("html", "must not be blank");
        }
        f.unknown(body, Set.of("html", "status", "page", "custom", "source", "serviceId"), "");
        f.check();
        String reason = templates.validate(key, html);
        if (reason != null) {
            throw ApiException.invalid("html", reason);
        }
        return html;
    }

    static ObjectNode page(String key, String html, String source) {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", key);
        n.put("code", PageTemplates.status(key));
        n.put("html", html);
        n.put("source", source);
        return n;
    }

    static UUID serviceId(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw ApiException.notFound("Service " + id);
    }

    /** @return the setting of {@code PUT /services/{id}/maintenance} */
    static PagesStore.Maintenance maintenance(UUID serviceId, JsonNode body) {
        requireObject(body);
        Fields f = new Fields();
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode == null || enabledNode.isNull()) {
            f.error("enabled", "is required");
        }
        boolean enabled = f.bool(body, "enabled", "enabled", false);
        String message = f.plainText(body, "message", "message", false, MAX_MESSAGE);
        Integer retryAfter = f.integer(body, "retryAfterSeconds", "retryAfterSeconds", 1, 604_800, null);
        List<String> allowIn = f.strings(body, "allow", "allow", false, MAX_ALLOW, 60);
        List<String> allow = new ArrayList<>();
        if (allowIn != null) {
            for (int i = 0; i < allowIn.size(); i++) {
                String c = PageInput.cidr(allowIn.get(i));
                if (c == null) {
                    f.error("allow[" + i + "]", "must be an IPv4 or IPv6 address or CIDR block");
                } else if (!allow.contains(c)) {
                    allow.add(c);
                }
            }
        }
        Instant startsAt = instant(f, body, "startsAt");
        Instant endsAt = instant(f, body, "endsAt");
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            f.error("endsAt", "must be after startsAt");
        }
        f.unknown(
                body,
                Set.of("enabled", "message", "retryAfterSeconds", "allow", "startsAt", "endsAt", "serviceId", "active"),
                "");
        f.check();
        return new PagesStore.Maintenance(serviceId, enabled, message, retryAfter, allow, startsAt, endsAt);
    }

    static ObjectNode maintenance(String serviceId, PagesStore.Maintenance m, Instant now) {
        ObjectNode n = JSON.createObjectNode();
        n.put("serviceId", serviceId);
        n.put("enabled", m != null && m.enabled());
        n.put("active", m != null && m.activeAt(now));
        n.put("message", m == null ? null : m.message());
        if (m == null || m.retryAfterSeconds() == null) {
            n.putNull("retryAfterSeconds");
        } else {
            n.put("retryAfterSeconds", m.retryAfterSeconds());
        }
        ArrayNode allow = n.putArray("allow");
        if (m != null) {
            m.allow().forEach(allow::add);
        }
        n.put(
                "startsAt",
                m == null || m.startsAt() == null ? null : m.startsAt().toString());
        n.put("endsAt", m == null || m.endsAt() == null ? null : m.endsAt().toString());
        return n;
    }

    private static Instant instant(Fields f, JsonNode body, String name) {
        String s = f.text(body, name, name, false, 40);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            f.error(name, "must be an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
            return null;
        }
    }

    private static String cidr(String s) {
        return dev.fleetgate.pages.internal.PagesService.cidr(s);
    }
}
