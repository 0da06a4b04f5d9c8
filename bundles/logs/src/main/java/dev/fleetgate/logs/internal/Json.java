package dev.fleetgate.logs.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The bundle's JSON mapper (thread-safe). */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
}
