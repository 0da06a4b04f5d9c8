package dev.fleetgate.rest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The REST API's JSON settings: ISO-8601 times, nulls kept, unknown properties ignored, and
 * explicit read limits so that no input can exhaust the stack or the heap (deeper or longer
 * input fails as a {@link com.fasterxml.jackson.core.exc.StreamConstraintsException}, a 400).
 */
public final class JsonMapper {
    /** Deepest nesting of arrays and objects accepted; no API shape comes near it. */
    public static final int MAX_NESTING_DEPTH = 200;
    /** Longest string value, in characters (the sync body may carry long task results). */
    public static final int MAX_STRING_LENGTH = 32 * 1024 * 1024;
    /** Longest property name, in characters. */
    public static final int MAX_NAME_LENGTH = 1024;
    /** Longest number, in characters. */
    public static final int MAX_NUMBER_LENGTH = 100;

    private JsonMapper() {}

    public static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
        return new ObjectMapper(factory)
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        // Inclusion stays ALWAYS: API shapes keep their nulls ("error": null).
    }
}
