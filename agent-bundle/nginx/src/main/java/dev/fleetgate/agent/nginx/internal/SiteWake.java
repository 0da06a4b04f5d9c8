package dev.fleetgate.agent.nginx.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The scaling module's scale to zero in the routing document (see {@code lua/fleetgate.lua}, "Scale to zero"): a site
 * whose spec names it in {@code extensions.scaling.wake.<siteId>} ({@code {"maxHeld", "startingPageAfterMs",
 * "retryAfterSeconds"}}) gets a {@code wake} entry {@code {"queue", "wait", "retry"}}: while its upstream has no peer,
 * a request is held (at most {@code queue} at once on this agent, for at most {@code wait} seconds) and the agent is
 * asked to start a replica. Lua data only: never part of nginx.conf.
 */
final class SiteWake {
    static final int MAX_HELD = 10_000;
    static final int MAX_WAIT_MS = 600_000;

    private SiteWake() {}

    /** Adds {@code wake} to a site entry when the spec asks for it. */
    static void wake(ObjectNode entry, String f, JsonNode wake) {
        if (wake == null) {
            return;
        }
        String field = f + ".wake";
        if (!wake.isObject()) {
            throw SafeValues.refused(field, "must be {maxHeld, startingPageAfterMs, retryAfterSeconds}");
        }
        int held = integer(wake, "maxHeld", field, 100, 1, MAX_HELD);
        int wait = integer(wake, "startingPageAfterMs", field, 10_000, 100, MAX_WAIT_MS);
        int retry = integer(wake, "retryAfterSeconds", field, 5, 1, 3600);
        entry.putObject("wake").put("queue", held).put("wait", wait / 1000.0).put("retry", String.valueOf(retry));
    }

    /** @return whether a proxy section holds requests of any site (then the agent polls nginx for wakes) */
    static boolean any(JsonNode proxySection) {
        JsonNode wake = proxySection == null
                ? null
                : proxySection.path("extensions").path("scaling").path("wake");
        return wake != null && wake.isObject() && wake.size() > 0;
    }

    private static int integer(JsonNode o, String name, String field, int fallback, int min, int max) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw SafeValues.refused(field + "." + name, "must be an integer " + min + ".." + max);
        }
        return v.asInt();
    }
}
