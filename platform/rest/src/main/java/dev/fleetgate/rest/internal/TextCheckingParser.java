package dev.fleetgate.rest.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

/**
 * A parser that refuses text PostgreSQL cannot store and no API needs: U+0000 and unpaired
 * surrogates, in property names and string values alike, wherever they sit in the document
 * (typed records, {@code JsonNode} and {@code Map} bodies all go through it).
 */
final class TextCheckingParser extends JsonParserDelegate {

    /** A string the API does not accept; names the field through the parser's context. */
    static final class InvalidTextException extends JsonParseException {
        private static final long serialVersionUID = 1L;

        InvalidTextException(JsonParser p, String msg) {
            super(p, msg);
        }
    }

    TextCheckingParser(JsonParser delegate) {
        super(delegate);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        return check(delegate.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
        return check(delegate.nextValue());
    }

    @Override
    public String nextFieldName() throws IOException {
        String name = delegate.nextFieldName();
        check(delegate.currentToken());
        return name;
    }

    @Override
    public boolean nextFieldName(SerializableString str) throws IOException {
        boolean match = delegate.nextFieldName(str);
        check(delegate.currentToken());
        return match;
    }

    @Override
    public String nextTextValue() throws IOException {
        String text = delegate.nextTextValue();
        check(delegate.currentToken());
        return text;
    }

    @Override
    public int nextIntValue(int defaultValue) throws IOException {
        int v = delegate.nextIntValue(defaultValue);
        check(delegate.currentToken());
        return v;
    }

    @Override
    public long nextLongValue(long defaultValue) throws IOException {
        long v = delegate.nextLongValue(defaultValue);
        check(delegate.currentToken());
        return v;
    }

    @Override
    public Boolean nextBooleanValue() throws IOException {
        Boolean v = delegate.nextBooleanValue();
        check(delegate.currentToken());
        return v;
    }

    private JsonToken check(JsonToken t) throws IOException {
        if (t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) {
            String problem = problem(delegate.getText());
            if (problem != null) {
                throw new InvalidTextException(this, problem);
            }
        }
        return t;
    }

    /** @return why {@code s} is refused, or null */
    static String problem(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "must not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain an unpaired surrogate (U+"
                        + Integer.toHexString(c).toUpperCase() + ")";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain an unpaired surrogate (U+"
                        + Integer.toHexString(c).toUpperCase() + ")";
            }
        }
        return null;
    }
}
