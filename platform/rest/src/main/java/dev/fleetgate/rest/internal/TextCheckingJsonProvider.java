package dev.fleetgate.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

import dev.fleetgate.api.RawText;

/**
 * The JSON provider of the REST API: Jackson with {@link JsonMapper}'s limits, reading every
 * request body through a {@link TextCheckingParser} unless its parameter is marked
 * {@link RawText}.
 */
final class TextCheckingJsonProvider extends JacksonJsonProvider {
    /** Set while a {@link RawText} body is read on this thread (readFrom → _createParser). */
    private static final ThreadLocal<Boolean> RAW = new ThreadLocal<>();

    TextCheckingJsonProvider(ObjectMapper mapper) {
        super(mapper);
    }

    @Override
    public Object readFrom(
            Class<Object> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders,
            InputStream entityStream)
            throws IOException {
        if (!isRaw(annotations)) {
            return super.readFrom(type, genericType, annotations, mediaType, httpHeaders, entityStream);
        }
        RAW.set(Boolean.TRUE);
        try {
            return super.readFrom(type, genericType, annotations, mediaType, httpHeaders, entityStream);
        } finally {
            RAW.remove();
        }
    }

    @Override
    protected JsonParser _createParser(ObjectReader reader, InputStream rawStream) throws IOException {
        JsonParser p = super._createParser(reader, rawStream);
        return Boolean.TRUE.equals(RAW.get()) ? p : new TextCheckingParser(p);
    }

    private static boolean isRaw(Annotation[] annotations) {
        if (annotations != null) {
            for (Annotation a : annotations) {
                if (a instanceof RawText) {
                    return true;
                }
            }
        }
        return false;
    }
}
