package dev.fleetgate.agent.nginx.internal;

import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The pages module's routing data beside each site's pages (see {@code lua/fleetgate.lua}, "Pages module"): which
 * statuses also replace an upstream's own answer ({@code upstreamStatuses}), and the page of an unknown Host
 * ({@code fallback}). Lua data only: never part of nginx.conf.
 */
final class SitePages {
    /** Largest fallback page or problem (UTF-16 chars; the core caps a rendered page at 128 KiB). */
    static final int MAX_FALLBACK = 256 * 1024;

    private SitePages() {}

    /** Adds {@code upstreamStatuses} to a site entry when the spec names them for the site. */
    static void upstreamStatuses(ObjectNode entry, String f, JsonNode statuses) {
        if (statuses == null) {
            return;
        }
        String field = f + ".upstreamStatuses";
        if (!statuses.isArray()) {
            throw SafeValues.refused(field, "must be an array");
        }
        Set<Integer> seen = new TreeSet<>();
        for (int i = 0; i < statuses.size(); i++) {
            JsonNode s = statuses.get(i);
            if (!s.isIntegralNumber() || s.asInt() < 400 || s.asInt() > 599) {
                throw SafeValues.refused(field + "[" + i + "]", "must be a status 400..599");
            }
            seen.add(s.asInt());
        }
        ArrayNode out = entry.putArray("upstreamStatuses");
        seen.forEach(out::add);
    }

    /** Adds {@code fallback} (the page of a Host no site serves) to the routing document. */
    static void fallback(ObjectNode routes, JsonNode fallback) {
        if (fallback == null) {
            return;
        }
        if (!fallback.isObject() || !fallback.path("html").isTextual()) {
            throw SafeValues.refused("extensions.pages.fallback", "must be {html, problem}");
        }
        String html = fallback.path("html").asText();
        JsonNode problem = fallback.path("problem");
        if (html.length() > MAX_FALLBACK
                || (problem.isTextual() && problem.asText().length() > MAX_FALLBACK)) {
            throw SafeValues.refused("extensions.pages.fallback", "is larger than " + MAX_FALLBACK + " characters");
        }
        ObjectNode out = routes.putObject("fallback")
                .put("type", "text/html; charset=utf-8")
                .put("body", html);
        if (problem.isTextual()) {
            out.put("problem", problem.asText());
        } else if (!problem.isMissingNode() && !problem.isNull()) {
            throw SafeValues.refused("extensions.pages.fallback.problem", "must be a text");
        }
    }
}
