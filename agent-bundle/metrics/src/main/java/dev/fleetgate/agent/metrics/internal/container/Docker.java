package dev.fleetgate.agent.metrics.internal.container;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

/** Read-only access to the Docker Engine API. */
public interface Docker {

    /** GET {@code path}, e.g. {@code /containers/json}; throws on a status other than 200. */
    JsonNode get(String path) throws IOException;

    /** Where the engine is, for messages. */
    String describe();
}
