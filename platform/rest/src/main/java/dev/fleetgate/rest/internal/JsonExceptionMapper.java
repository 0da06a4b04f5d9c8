package dev.fleetgate.rest.internal;

import java.util.List;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.fleetgate.api.FieldError;

/** Malformed JSON or JSON of the wrong shape in a request body → 400 naming the field. */
public final class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
    static final String BODY = "body";
    private static final String MALFORMED = "Malformed JSON";

    @Override
    public Response toResponse(JsonProcessingException e) {
        String special = special(e);
        if (special != null) {
            String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                    ? path(m.getPath())
                    : e instanceof JsonParseException p
                            ? parsePath(p)
                            : e.getCause() instanceof JsonParseException p ? parsePath(p) : BODY;
            Throwable cause =
                    e instanceof JsonMappingException && e.getCause() instanceof JsonProcessingException c ? c : e;
            return Problems.response(
                    400,
                    special,
                    List.of(new FieldError(field, ((JsonProcessingException) cause).getOriginalMessage())));
        }
        if (e instanceof JsonMappingException m) {
            String field = path(m.getPath());
            if (m.getCause() instanceof JsonParseException p) { // databind adds the path to parser errors
                return Problems.response(400, MALFORMED, List.of(new FieldError(field, p.getOriginalMessage())));
            }
            return Problems.response(
                    400, "Request body does not match the expected shape", List.of(new FieldError(field, message(m))));
        }
        String field = e instanceof JsonParseException p ? parsePath(p) : BODY;
        return Problems.response(400, MALFORMED, List.of(new FieldError(field, e.getOriginalMessage())));
    }

    /** @return the detail for text or size problems, or null for other errors */
    private static String special(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TextCheckingParser.InvalidTextException) {
                return "Invalid text in request body";
            }
            if (t instanceof StreamConstraintsException) {
                return "Request body exceeds a JSON limit (nesting depth " + JsonMapper.MAX_NESTING_DEPTH
                        + ", string length " + JsonMapper.MAX_STRING_LENGTH + ")";
            }
        }
        return null;
    }

    /** {@code upstream.targets[0].port} from Jackson's reference chain. */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? BODY : sb.toString();
    }

    private static String parsePath(JsonParseException e) {
        JsonParser p = e.getProcessor();
        if (p == null || p.getParsingContext() == null) {
            return BODY;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            String part = c.inArray()
                    ? "[" + Math.max(c.getCurrentIndex(), 0) + "]"
                    : c.getCurrentName() == null ? "" : c.getCurrentName();
            if (!part.isEmpty()) {
                boolean dot = sb.length() > 0 && sb.charAt(0) != '[';
                sb.insert(0, dot ? part + "." : part);
            }
        }
        return sb.length() == 0 ? BODY : sb.toString();
    }

    private static String message(JsonMappingException e) {
        if (e instanceof InvalidFormatException f) {
            return "invalid value " + f.getValue() + ", expected " + typeName(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "wrong type, expected " + typeName(m.getTargetType());
        }
        String msg = e.getOriginalMessage();
        return msg == null ? "invalid value" : msg;
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class || type.isEnum() || CharSequence.class.isAssignableFrom(type)) {
            return type.isEnum() ? "one of " + List.of(type.getEnumConstants()) : "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
