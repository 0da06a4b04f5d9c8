package dev.fleetgate.agents.internal;

/**
 * Finds a sync body's {@code metrics} array in the raw bytes in one pass, without Jackson's
 * tokenizer (which spent a quarter of the core's ingestion CPU skipping over 100,000 points to find
 * where the array ends). It takes only the common case — a top-level object with plain ASCII keys,
 * one non-empty {@code metrics} array, and strictly valid JSON of ASCII bytes everywhere — and
 * answers null for anything else (non-ASCII bytes, a repeated key, deep nesting, long numbers,
 * malformed JSON), which {@link SyncBody} then reads with Jackson as before, errors included. So what
 * it accepts is valid JSON, and the result is the same as Jackson's.
 */
final class MetricsSpan {
    /** Below {@link SyncBody}'s factory limits: deeper nesting or longer numbers are left to Jackson (to refuse). */
    private static final int MAX_DEPTH = 100;

    private static final int MAX_NUMBER = 100;

    private static final byte[] KEY = {'m', 'e', 't', 'r', 'i', 'c', 's'};

    /** Thrown to give up; no stack trace, one instance (a body without metrics gives up at its end). */
    private static final IllegalStateException GIVE_UP = new IllegalStateException("not the common case", null) {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private final byte[] b;
    private int i;

    private MetricsSpan(byte[] b) {
        this.b = b;
    }

    /** @return {start, end} of the {@code metrics} array, or null when the body is not the common case */
    static int[] find(byte[] body) {
        try {
            return new MetricsSpan(body).object();
        } catch (IllegalStateException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private int[] object() {
        int[] span = null;
        if (next() != '{') {
            throw giveUp();
        }
        if (next() != '}') {
            i--;
            do {
                if (next() != '"') {
                    throw giveUp();
                }
                int keyStart = i;
                string();
                boolean metrics = isMetricsKey(keyStart);
                if (next() != ':') {
                    throw giveUp();
                }
                space();
                int start = i;
                value(1);
                if (metrics) {
                    if (span != null || b[start] != '[') {
                        throw giveUp();
                    }
                    span = new int[] {start, i};
                }
            } while (separator('}'));
        }
        space();
        if (i != b.length || span == null || isEmptyArray(span)) {
            throw giveUp();
        }
        return span;
    }

    /** The key that ends at {@code i} is {@code metrics}; gives up on a key with an escape (it could spell it). */
    private boolean isMetricsKey(int start) {
        for (int k = start; k < i; k++) {
            if (b[k] == '\\') {
                throw giveUp();
            }
        }
        if (i - start != KEY.length + 1) {
            return false;
        }
        for (int k = 0; k < KEY.length; k++) {
            if (b[start + k] != KEY[k]) {
                return false;
            }
        }
        return true;
    }

    private boolean isEmptyArray(int[] span) {
        int k = span[0] + 1;
        while (isSpace(b[k])) {
            k++;
        }
        return b[k] == ']';
    }

    private void value(int depth) {
        if (depth > MAX_DEPTH) {
            throw giveUp();
        }
        byte c = next();
        switch (c) {
            case '{' -> {
                if (next() == '}') {
                    return;
                }
                i--;
                do {
                    if (next() != '"') {
                        throw giveUp();
                    }
                    string();
                    if (next() != ':') {
                        throw giveUp();
                    }
                    value(depth + 1);
                } while (separator('}'));
            }
            case '[' -> {
                if (next() == ']') {
                    return;
                }
                i--;
                do {
                    value(depth + 1);
                } while (separator(']'));
            }
            case '"' -> string();
            case 't' -> literal("rue");
            case 'f' -> literal("alse");
            case 'n' -> literal("ull");
            default -> {
                i--;
                number();
            }
        }
    }

    /** After the opening quote: printable ASCII and the escapes JSON allows; ends after the closing quote. */
    private void string() {
        for (byte c = b[i++]; c != '"'; c = b[i++]) {
            if (c < 0x20) { // negative bytes (non-ASCII) too
                throw giveUp();
            }
            if (c == '\\') {
                byte e = b[i++];
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (Character.digit(b[i++], 16) < 0) {
                            throw giveUp();
                        }
                    }
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
                        && e != 't') {
                    throw giveUp();
                }
            }
        }
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, at most {@value #MAX_NUMBER} characters. */
    private void number() {
        int start = i;
        if (b[i] == '-') {
            i++;
        }
        if (b[i] == '0') {
            i++;
        } else {
            digits();
        }
        if (b[i] == '.') {
            i++;
            digits();
        }
        if (b[i] == 'e' || b[i] == 'E') {
            i++;
            if (b[i] == '+' || b[i] == '-') {
                i++;
            }
            digits();
        }
        if (i - start > MAX_NUMBER) {
            throw giveUp();
        }
    }

    private void digits() {
        int start = i;
        while (b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == start) {
            throw giveUp();
        }
    }

    private void literal(String rest) {
        for (int k = 0; k < rest.length(); k++) {
            if (b[i++] != rest.charAt(k)) {
                throw giveUp();
            }
        }
    }

    /** @return true after a comma, false after {@code close} */
    private boolean separator(char close) {
        byte c = next();
        if (c == ',') {
            return true;
        }
        if (c != close) {
            throw giveUp();
        }
        return false;
    }

    /** The next byte that is not white space (consumed). */
    private byte next() {
        space();
        return b[i++];
    }

    private void space() {
        while (i < b.length && isSpace(b[i])) {
            i++;
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static IllegalStateException giveUp() {
        return GIVE_UP;
    }
}
