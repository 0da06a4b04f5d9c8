package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Shared validator setup and assertions. */
final class ValidatorAssertions {
    static final ServiceValidator VALIDATOR = new ServiceValidator(Set.of(Bodies.AGENT, Bodies.AGENT2)::contains);

    private ValidatorAssertions() {}

    static ServiceConfig valid(JsonNode body) {
        ServiceValidator.Result r = VALIDATOR.validate(body);
        assertTrue(r.ok(), () -> "expected valid, got " + r.errors());
        return r.config();
    }

    /** Asserts the body is refused with an error on exactly {@code field}. */
    static ServiceValidator.Result invalid(JsonNode body, String field) {
        ServiceValidator.Result r = VALIDATOR.validate(body);
        assertFalse(r.ok(), () -> "expected an error on " + field + " for " + body);
        assertTrue(
                r.errors().stream().anyMatch(e -> e.field().equals(field)),
                () -> "expected an error on " + field + ", got " + r.errors());
        return r;
    }
}
