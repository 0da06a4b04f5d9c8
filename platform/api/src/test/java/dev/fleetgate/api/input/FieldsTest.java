package dev.fleetgate.api.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

class FieldsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    enum Lb {
        ROUND_ROBIN,
        LEAST_CONN
    }

    @Test
    void collectsEveryErrorAndThrowsOne400() throws Exception {
        JsonNode body = json("{\"name\":7,\"port\":70000,\"on\":\"yes\",\"upstream\":{\"targets\":[{\"port\":0}]}}");
        Fields f = new Fields();
        assertNull(f.text(body, "name", "name", true, 10));
        assertNull(f.integer(body, "port", "port", 1, 65535, 80));
        assertTrue(f.bool(body, "on", "on", true));
        JsonNode targets =
                f.array(f.object(body, "upstream", "upstream", true), "targets", "upstream.targets", true, 4);
        String t0 = Fields.index("upstream.targets", 0);
        assertNull(f.requiredInteger(targets.get(0), "port", Fields.path(t0, "port"), 1, 65535));
        assertNull(f.text(targets.get(0), "host", Fields.path(t0, "host"), true));
        ApiException e = assertThrows(ApiException.class, f::check);
        assertEquals(400, e.status());
        assertEquals(
                List.of(
                        new FieldError("name", "must be a string"),
                        new FieldError("port", "must be an integer from 1 to 65535"),
                        new FieldError("on", "must be true or false"),
                        new FieldError("upstream.targets[0].port", "must be an integer from 1 to 65535"),
                        new FieldError("upstream.targets[0].host", "is required")),
                e.errors());
        assertTrue(f.failed("port"));
        assertFalse(f.failed("upstream"));
    }

    @Test
    void absentAndNullGiveDefaultsWithoutErrors() throws Exception {
        JsonNode body = json("{\"a\":null}");
        Fields f = new Fields();
        assertNull(f.text(body, "a", "a", false, 5));
        assertEquals(8, f.integer(body, "b", "b", 1, 9, 8));
        assertFalse(f.bool(body, "c", "c", false));
        assertEquals("x", f.choice(body, "d", "d", Set.of("x", "y"), "x"));
        assertEquals(Lb.LEAST_CONN, f.enumValue(body, "e", "e", Lb.class, Lb.LEAST_CONN));
        assertNull(f.strings(body, "g", "g", false, 3, 5));
        assertNull(f.uuid(body, "h", "h", false));
        assertTrue(f.ok());
        f.check();
    }

    @Test
    void textLengthBlankAndRange() throws Exception {
        JsonNode body = json("{\"s\":\"abcdef\",\"b\":\"  \",\"i\":2.5,\"big\":12345678901}");
        Fields f = new Fields();
        assertNull(f.text(body, "s", "s", false, 5));
        assertNull(f.text(body, "b", "b", true, 5));
        assertEquals("  ", f.text(body, "b", "b2", false, 5));
        assertNull(f.integer(body, "i", "i", 0, 10, null));
        assertNull(f.integer(body, "big", "big", 0, Integer.MAX_VALUE, null));
        assertEquals(
                List.of(
                        new FieldError("s", "must be at most 5 characters"),
                        new FieldError("b", "must not be blank"),
                        new FieldError("i", "must be an integer from 0 to 10"),
                        new FieldError("big", "must be an integer from 0 to 2147483647")),
                f.errors());
    }

    @Test
    void plainTextIsStrippedAndRefusesBlankAndControls() throws Exception {
        JsonNode body = json("{\"a\":\" hi \",\"b\":\" \",\"c\":\"x\\ny\",\"d\":\"abcdef\"}");
        Fields f = new Fields();
        assertEquals("hi", f.plainText(body, "a", "a", true, 5));
        assertNull(f.plainText(body, "b", "b", false, 5));
        assertNull(f.plainText(body, "c", "c", false, 5));
        assertNull(f.plainText(body, "d", "d", false, 5));
        assertNull(f.plainText(body, "e", "e", false, 5));
        assertEquals(
                List.of(
                        new FieldError("b", "must not be blank"),
                        new FieldError("c", "must not contain control characters"),
                        new FieldError("d", "must be at most 5 characters")),
                f.errors());
    }

    @Test
    void choicesEnumsUuidsAndLists() throws Exception {
        String id = "0F9A6B2C-1D2E-4F30-8A9B-0C1D2E3F4A5B";
        JsonNode body = json("{\"c\":\"z\",\"e\":\"least_conn\",\"e2\":\"LEAST_CONN\",\"u\":\"" + id
                + "\",\"u2\":\"nope\",\"l\":[\"a\",1,\"toolong\"],\"n\":1e400}");
        Fields f = new Fields();
        assertEquals("x", f.choice(body, "c", "c", Set.of("y", "x"), "x"));
        assertEquals(Lb.LEAST_CONN, f.enumValue(body, "e", "e", Lb.class, null));
        assertNull(f.enumValue(body, "e2", "e2", Lb.class, null));
        assertEquals(UUID.fromString(id), f.uuid(body, "u", "u", true));
        assertNull(f.uuid(body, "u2", "u2", true));
        assertEquals(List.of("a"), f.strings(body, "l", "l", true, 5, 3));
        assertNull(f.number(body, "n", "n", -1, 1));
        assertEquals(
                List.of(
                        new FieldError("c", "must be one of x, y"),
                        new FieldError("e2", "must be one of round_robin, least_conn"),
                        new FieldError("u2", "must be a UUID"),
                        new FieldError("l[1]", "must be a string"),
                        new FieldError("l[2]", "must be at most 3 characters"),
                        new FieldError("n", "must be a number from -1 to 1")),
                f.errors());
    }

    @Test
    void arraysObjectsAndUnknownFields() throws Exception {
        JsonNode body = json("{\"a\":[1,2,3],\"o\":[],\"x\":1,\"" + "k".repeat(300) + "\":2}");
        Fields f = new Fields();
        assertNull(f.array(body, "a", "a", true, 2));
        assertNull(f.object(body, "o", "o", true));
        assertNull(f.array(body, "missing", "missing", true, 2));
        f.unknown(body, Set.of("a", "o"), "spec");
        assertEquals(
                List.of(
                        new FieldError("a", "must have at most 2 elements"),
                        new FieldError("o", "must be an object"),
                        new FieldError("missing", "is required"),
                        new FieldError("spec.x", "is not a known field"),
                        new FieldError("spec." + "k".repeat(100), "is not a known field")),
                f.errors());
    }

    @Test
    void queryText() {
        Fields f = new Fields();
        assertEquals(100, f.integer((String) null, "tail", 1, 5000, 100));
        assertEquals(7, f.integer(" 7 ", "tail", 1, 5000, 100));
        assertNull(f.integer("0", "limit", 1, 5000, 100));
        assertNull(f.integer("99999999999", "n", 1, 5000, 100));
        assertEquals("ok", f.text("ok", "filter", 5));
        assertNull(f.text("", "filter", 5));
        assertNull(f.text("a\u2028b", "filter", 5));
        assertNull(f.text("abcdefg", "cursor", 5));
        assertNull(f.uuid("x", "agentId", "must be an agent id (a UUID)"));
        assertEquals(
                List.of(
                        new FieldError("limit", "must be an integer from 1 to 5000"),
                        new FieldError("n", "must be an integer from 1 to 5000"),
                        new FieldError("filter", "must not contain control characters"),
                        new FieldError("cursor", "must be at most 5 characters"),
                        new FieldError("agentId", "must be an agent id (a UUID)")),
                f.errors());
        assertThrows(ApiException.class, f::check);
    }

    @Test
    void typedValuesGetTheErrorsOfTheSameJson() throws Exception {
        JsonNode body = json("{\"name\":\" \",\"label\":\"a\\u0001\",\"port\":70000,\"weight\":2.5,"
                + "\"on\":1,\"ratio\":\"x\",\"tags\":[1,2,3],\"note\":7}");
        Fields fromJson = new Fields();
        fromJson.text(body, "name", "name", true, 10);
        fromJson.plainText(body, "label", "label", true, 10);
        fromJson.integer(body, "port", "port", 1, 65535, 80);
        fromJson.integer(body, "weight", "weight", 1, 10, 1);
        fromJson.bool(body, "on", "on", true);
        fromJson.number(body, "ratio", "ratio", 0, 1);
        fromJson.array(body, "tags", "tags", true, 2);
        fromJson.text(body, "note", "note", false, 10);
        fromJson.requiredInteger(body, "missing", "missing", 1, 2);

        Fields typed = new Fields();
        typed.malformed("weight"); // 2.5: not an integer
        typed.malformed("on");
        typed.malformed("ratio");
        typed.malformed("note");
        assertEquals(null, typed.textValue(" ", "name", true, 10));
        assertEquals(null, typed.plainTextValue("a\u0001", "label", true, 10));
        assertEquals(null, typed.integerValue(70000, "port", 1, 65535, 80));
        assertEquals(null, typed.integerValue(null, "weight", 1, 10, 1));
        assertTrue(typed.boolValue(null, "on", true));
        assertEquals(null, typed.numberValue(null, "ratio", 0, 1));
        assertEquals(null, typed.listValue(List.of(1, 2, 3), "tags", true, 2));
        assertEquals(null, typed.textValue(null, "note", false, 10));
        assertEquals(null, typed.requiredIntegerValue(null, "missing", 1, 2));
        assertEquals(fromJson.errors(), typed.errors());

        Fields ok = new Fields();
        assertEquals("a b", ok.plainTextValue(" a b ", "n", true, 10));
        assertEquals(80, ok.integerValue(null, "port", 1, 65535, 80));
        assertEquals(0.5, ok.numberValue(0.5, "ratio", 0, 1));
        assertFalse(ok.boolValue(false, "on", true));
        assertNull(ok.textValue(null, "note", false, 10));
        assertTrue(ok.given(null, "x") == false && ok.ok());
        ok.malformed("x");
        assertTrue(ok.given(null, "x") && ok.isMalformed("x") && ok.ok(), "a mark is not an error by itself");
    }
}
