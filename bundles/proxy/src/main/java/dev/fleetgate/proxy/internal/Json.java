package dev.fleetgate.proxy.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The bundle's JSON mapper (thread-safe once configured). */
public final class Json {
    /** Unknown properties ignored: a stored document may come from a newer bundle version. */
    public static final ObjectMapper MAPPER =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}
}
