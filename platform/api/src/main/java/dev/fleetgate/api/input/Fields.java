package dev.fleetgate.api.input;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

/**
 * Reads typed fields from a JSON tree or from query/path text, collecting one
 * {@link FieldError} per bad field; {@link #check()} then answers all of them as one 400.
 *
 * <p>JSON readers take the parent object, the member {@code name} and the {@code field} path
 * reported in errors (e.g. {@code upstream.targets[0].port}, built with {@link #path} and
 * {@link #index}). Absent and {@code null} members are the same. A reader that records an
 * error returns {@code null} (or the default for primitives), so callers skip dependent checks.
 * Not thread-safe: one instance per request.
 *
 * <p>Typed input (a record a shell command builds, or one read from a body) is checked with the
 * {@code …Value} methods, which report the same errors as the JSON readers. A reader that meets
 * a member of the wrong JSON type marks it {@link #malformed(String)} instead of reporting it: the
 * value's check then reports the type error, so the errors keep the order of the checks.
 */
public final class Fields {
    /** Longest member name quoted in an error (names come from the caller). */
    public static final int MAX_QUOTED_NAME = 100;

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final List<FieldError> errors = new ArrayList<>();
    private final Set<String> malformed = new HashSet<>();

    /** @return the errors so far, in the order found (a copy) */
    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** @return whether no error was recorded */
    public boolean ok() {
        return errors.isEmpty();
    }

    public void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    /** Records errors found elsewhere (e.g. by a plug-in's own validator). */
    public void addAll(Collection<FieldError> more) {
        errors.addAll(more);
    }

    /** @return whether an error was recorded for {@code field} */
    public boolean failed(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    /** @throws ApiException 400 with every error found, when there is one */
    public void check() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /** @return {@code prefix.name}, or {@code name} at the top level (empty prefix) */
    public static String path(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** @return {@code field[i]} */
    public static String index(String field, int i) {
        return field + "[" + i + "]";
    }

    /** @return whether a member is missing or JSON {@code null} */
    public static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** @return whether {@code s} has a control character (C0, C1, line/paragraph separator) */
    public static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029') {
                return true;
            }
        }
        return false;
    }

    // ---- JSON ----

    private JsonNode present(JsonNode parent, String name, String field, boolean required) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (absent(n)) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        return n;
    }

    /** A string of any length; required means present (it may be empty). */
    public String text(JsonNode parent, String name, String field, boolean required) {
        JsonNode n = present(parent, name, field, required);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        return n.asText();
    }

    /** A string of at most {@code maxLength} characters; required also means not blank. */
    public String text(JsonNode parent, String name, String field, boolean required, int maxLength) {
        String s = text(parent, name, field, required);
        return s == null ? null : checkText(s, field, required, maxLength);
    }

    /**
     * Plain text for people (names, subjects, comments): at most {@code maxLength} characters,
     * not blank and without control characters when given; returned stripped.
     */
    public String plainText(JsonNode parent, String name, String field, boolean required, int maxLength) {
        String s = text(parent, name, field, required);
        if (s == null) {
            return null;
        }
        return checkPlain(s, field, maxLength);
    }

    /** Not blank, at most {@code maxLength} characters, no control characters; returned stripped. */
    private String checkPlain(String s, String field, int maxLength) {
        if (s.isBlank()) {
            error(field, "must not be blank");
            return null;
        }
        if (s.length() > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        if (hasControl(s)) {
            error(field, "must not contain control characters");
            return null;
        }
        return s.strip();
    }

    private String checkText(String s, String field, boolean required, int maxLength) {
        if (required && s.isBlank()) {
            error(field, "must not be blank");
            return null;
        }
        if (s.length() > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        return s;
    }

    /** An integer in {@code [min, max]}; {@code dflt} when absent. */
    public Integer integer(JsonNode parent, String name, String field, long min, long max, Integer dflt) {
        JsonNode n = present(parent, name, field, false);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber()
                || !n.canConvertToLong()
                || n.asLong() < min
                || n.asLong() > max
                || !n.canConvertToInt()) {
            error(field, "must be an integer from " + min + " to " + max);
            return null;
        }
        return n.asInt();
    }

    public Integer requiredInteger(JsonNode parent, String name, String field, long min, long max) {
        if (present(parent, name, field, true) == null) {
            return null;
        }
        return integer(parent, name, field, min, max, null);
    }

    /** A finite number in {@code [min, max]}; null when absent. */
    public Double number(JsonNode parent, String name, String field, double min, double max) {
        JsonNode n = present(parent, name, field, false);
        if (n == null) {
            return null;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() < min || n.asDouble() > max) {
            error(field, "must be a number from " + plain(min) + " to " + plain(max));
            return null;
        }
        return n.asDouble();
    }

    private static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    public boolean bool(JsonNode parent, String name, String field, boolean dflt) {
        JsonNode n = present(parent, name, field, false);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            error(field, "must be true or false");
            return dflt;
        }
        return n.asBoolean();
    }

    /** One of {@code allowed} (exact); {@code dflt} when absent or after an error. */
    public String choice(JsonNode parent, String name, String field, Collection<String> allowed, String dflt) {
        JsonNode n = present(parent, name, field, false);
        if (n == null) {
            return dflt;
        }
        if (!n.isTextual() || !allowed.contains(n.asText())) {
            error(field, "must be one of " + String.join(", ", new TreeSet<>(allowed)));
            return dflt;
        }
        return n.asText();
    }

    /** A constant of {@code type} named in lower case ({@code "round_robin"} for ROUND_ROBIN). */
    public <E extends Enum<E>> E enumValue(JsonNode parent, String name, String field, Class<E> type, E dflt) {
        JsonNode n = present(parent, name, field, false);
        if (n == null) {
            return dflt;
        }
        for (E e : type.getEnumConstants()) {
            if (n.isTextual() && e.name().toLowerCase(java.util.Locale.ROOT).equals(n.asText())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        error(field, "must be one of " + String.join(", ", names));
        return dflt;
    }

    /** A UUID in canonical (lower case) form; null when absent or after an error. */
    public UUID uuid(JsonNode parent, String name, String field, boolean required) {
        JsonNode n = present(parent, name, field, required);
        if (n == null) {
            return null;
        }
        return uuid(n.isTextual() ? n.asText() : null, field, "must be a UUID");
    }

    public JsonNode object(JsonNode parent, String name, String field, boolean required) {
        JsonNode n = present(parent, name, field, required);
        if (n != null && !n.isObject()) {
            error(field, "must be an object");
            return null;
        }
        return n;
    }

    public JsonNode array(JsonNode parent, String name, String field, boolean required, int maxSize) {
        JsonNode n = present(parent, name, field, required);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            error(field, "must be an array");
            return null;
        }
        if (n.size() > maxSize) {
            error(field, "must have at most " + maxSize + " elements");
            return null;
        }
        return n;
    }

    /**
     * An array of strings, each at most {@code maxLength} characters; errors name the element
     * ({@code field[i]}). Null when absent or not an array.
     */
    public List<String> strings(
            JsonNode parent, String name, String field, boolean required, int maxSize, int maxLength) {
        JsonNode arr = array(parent, name, field, required, maxSize);
        if (arr == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode n = arr.get(i);
            if (!n.isTextual()) {
                error(index(field, i), "must be a string");
            } else if (n.asText().length() > maxLength) {
                error(index(field, i), "must be at most " + maxLength + " characters");
            } else {
                out.add(n.asText());
            }
        }
        return out;
    }

    /** Records {@code "is not a known field"} for every member of {@code object} not in {@code known}. */
    public void unknown(JsonNode object, Set<String> known, String prefix) {
        Iterator<String> it = object.fieldNames();
        while (it.hasNext()) {
            String n = it.next();
            if (!known.contains(n)) {
                error(path(prefix, quoted(n)), "is not a known field");
            }
        }
    }

    /** @return {@code name} cut to {@value #MAX_QUOTED_NAME} characters, for use in a field path */
    public static String quoted(String name) {
        return name.length() > MAX_QUOTED_NAME ? name.substring(0, MAX_QUOTED_NAME) : name;
    }

    // ---- query and path text ----

    /** An integer parameter in {@code [min, max]}; {@code dflt} when null or blank. */
    public Integer integer(String text, String field, long min, long max, Integer dflt) {
        if (text == null || text.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(text.strip());
            if (n >= min && n <= max && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        error(field, "must be an integer from " + min + " to " + max);
        return null;
    }

    /** Free text of at most {@code max} characters without control characters; null when null or empty. */
    public String text(String text, String field, int max) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.length() > max) {
            error(field, "must be at most " + max + " characters");
            return null;
        }
        if (hasControl(text)) {
            error(field, "must not contain control characters");
            return null;
        }
        return text;
    }

    /** A UUID; {@code message} when null or not one (e.g. "must be an agent id (a UUID)"). */
    public UUID uuid(String text, String field, String message) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            error(field, message);
            return null;
        }
        return UUID.fromString(text);
    }

    // ---- typed values (null = not given) ----

    /** Marks {@code field} as given with the wrong JSON type; its {@code …Value} check reports it. */
    public void malformed(String field) {
        malformed.add(field);
    }

    /** @return whether {@code field} was {@link #malformed(String) marked malformed} */
    public boolean isMalformed(String field) {
        return malformed.contains(field);
    }

    /** @return whether a typed value was given: not null, or given with the wrong JSON type */
    public boolean given(Object value, String field) {
        return value != null || malformed.contains(field);
    }

    /** As {@link #text(JsonNode, String, String, boolean, int)}, for a typed value. */
    public String textValue(String value, String field, boolean required, int maxLength) {
        if (missingOrMalformed(value, field, required, "must be a string")) {
            return null;
        }
        return checkText(value, field, required, maxLength);
    }

    /** As {@link #plainText(JsonNode, String, String, boolean, int)}, for a typed value. */
    public String plainTextValue(String value, String field, boolean required, int maxLength) {
        if (missingOrMalformed(value, field, required, "must be a string")) {
            return null;
        }
        return checkPlain(value, field, maxLength);
    }

    /** As {@link #integer(JsonNode, String, String, long, long, Integer)}, for a typed value. */
    public Integer integerValue(Integer value, String field, long min, long max, Integer dflt) {
        if (malformed.contains(field) || value != null && (value < min || value > max)) {
            error(field, "must be an integer from " + min + " to " + max);
            return null;
        }
        return value == null ? dflt : value;
    }

    /** As {@link #requiredInteger(JsonNode, String, String, long, long)}, for a typed value. */
    public Integer requiredIntegerValue(Integer value, String field, long min, long max) {
        if (value == null && !malformed.contains(field)) {
            error(field, "is required");
            return null;
        }
        return integerValue(value, field, min, max, null);
    }

    /** As {@link #number(JsonNode, String, String, double, double)}, for a typed value. */
    public Double numberValue(Double value, String field, double min, double max) {
        if (malformed.contains(field) || value != null && (!Double.isFinite(value) || value < min || value > max)) {
            error(field, "must be a number from " + plain(min) + " to " + plain(max));
            return null;
        }
        return value;
    }

    /** As {@link #bool(JsonNode, String, String, boolean)}, for a typed value. */
    public boolean boolValue(Boolean value, String field, boolean dflt) {
        if (malformed.contains(field)) {
            error(field, "must be true or false");
            return dflt;
        }
        return value == null ? dflt : value;
    }

    /** As {@link #array(JsonNode, String, String, boolean, int)}, for a typed list. */
    public <T> List<T> listValue(List<T> value, String field, boolean required, int maxSize) {
        if (missingOrMalformed(value, field, required, "must be an array")) {
            return null;
        }
        if (value.size() > maxSize) {
            error(field, "must have at most " + maxSize + " elements");
            return null;
        }
        return value;
    }

    /** @return whether the check stops: malformed (reported with {@code typeError}) or null (reported if required) */
    private boolean missingOrMalformed(Object value, String field, boolean required, String typeError) {
        if (malformed.contains(field)) {
            error(field, typeError);
            return true;
        }
        if (value == null) {
            if (required) {
                error(field, "is required");
            }
            return true;
        }
        return false;
    }
}
