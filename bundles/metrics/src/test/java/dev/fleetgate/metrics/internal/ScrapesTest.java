package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

class ScrapesTest {
    private static List<String> fields(String body) {
        ApiException e = assertThrows(ApiException.class, () -> Scrapes.validate(Json.parse(body)));
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void defaultsApply() {
        assertEquals(
                new Scrapes.Definition("prometheus", "/metrics", 10),
                Scrapes.validate(Json.parse("{\"format\":\"prometheus\"}")));
        assertEquals(
                new Scrapes.Definition("json", "/stats?x=1&y=%20", 3600),
                Scrapes.validate(
                        Json.parse("{\"format\":\"json\",\"path\":\"/stats?x=1&y=%20\",\"intervalSeconds\":3600}")));
    }

    @Test
    void everyFieldIsChecked() {
        assertEquals(List.of("format"), fields("{}"));
        assertEquals(List.of("format"), fields("{\"format\":\"xml\"}"));
        for (String path :
                List.of("metrics", "/a b", "/a;b", "/a'b", "/$x", "/a{b}", "/a\\\\b", "/a\\\"b", "/%zz", "/\\n", "")) {
            assertEquals(List.of("path"), fields("{\"format\":\"json\",\"path\":\"" + path + "\"}"), path);
        }
        assertEquals(List.of("path"), fields("{\"format\":\"json\",\"path\":5}"));
        assertEquals(List.of("path"), fields("{\"format\":\"json\",\"path\":\"/" + "a".repeat(1024) + "\"}"));
        for (String i : List.of("4", "3601", "10.5", "\"10\"", "-1")) {
            assertEquals(List.of("intervalSeconds"), fields("{\"format\":\"json\",\"intervalSeconds\":" + i + "}"), i);
        }
        assertEquals(
                List.of("format", "path", "intervalSeconds"),
                fields("{\"format\":1,\"path\":\"x\",\"intervalSeconds\":0}"));
        assertEquals(List.of(""), fields("[]"));
    }

    @Test
    void serviceIdsAreUuids() {
        assertEquals(
                "serviceId",
                assertThrows(ApiException.class, () -> Scrapes.id("nope"))
                        .errors()
                        .get(0)
                        .field());
        assertEquals(
                "0b0e7a8e-1111-4c4c-9d9d-00000000000a",
                Scrapes.id("0B0E7A8E-1111-4C4C-9D9D-00000000000A").toString());
    }
}
