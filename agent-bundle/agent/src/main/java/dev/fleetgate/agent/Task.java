package dev.fleetgate.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A one-off task sent by the core.
 *
 * @param id      the task id (a UUID); the runtime runs each id at most once
 * @param type    the task type, which selects the {@link TaskHandler}
 * @param payload the type-specific input, never {@code null} (an empty object when none)
 */
public record Task(String id, String type, JsonNode payload) {}
