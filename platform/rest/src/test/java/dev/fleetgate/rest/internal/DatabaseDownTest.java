package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.Authenticator;

/** An unreachable database is a 503 with Retry-After, never a 500 or a 401. */
class DatabaseDownTest {

    @Test
    void resourceWhoseDatabaseRefusesConnectionsAnswers503() {
        InMemoryApi.Answer a = new InMemoryApi(new InputsResource()).get("inputs/db", "viewer");
        assertEquals(503, a.status(), a.body());
        assertEquals(Problems.MEDIA_TYPE, a.type());
        assertEquals(
                String.valueOf(DatabaseErrors.RETRY_AFTER_SECONDS), a.response().getHeaderString("Retry-After"));
        assertFalse(a.body().contains("PSQLException"), a.body());
    }

    @Test
    void poolThatTimesOutWaitingForAConnectionAnswers503() {
        InMemoryApi.Answer a = new InMemoryApi(new InputsResource()).get("inputs/pool", "viewer");
        assertEquals(503, a.status(), a.body());
        assertEquals(Problems.MEDIA_TYPE, a.type());
        assertEquals(
                "The database is unavailable; try again shortly",
                a.json().get("detail").asText());
    }

    @Test
    void tokenCheckThatCannotReachTheDatabaseIs503NotA401() {
        Authenticator down = token -> {
            throw new IllegalStateException(
                    "lookup failed",
                    new SQLTransientConnectionException(
                            "fleetgate - Connection is not available, request timed out after 1500ms."));
        };
        InMemoryApi.Answer a = new InMemoryApi(() -> down, new InputsResource()).get("inputs/db", "viewer");
        assertEquals(503, a.status(), a.body());
        assertEquals("5", a.response().getHeaderString("Retry-After"));
    }

    @Test
    void otherTokenFailuresStay401() {
        Authenticator broken = token -> {
            throw new IllegalArgumentException("odd token");
        };
        assertEquals(
                401,
                new InMemoryApi(() -> broken, new InputsResource())
                        .get("inputs/db", "x")
                        .status());
    }

    @Test
    void nulRefusedByPostgresIs400() {
        InMemoryApi.Answer a = new InMemoryApi(new InputsResource()).get("inputs/nul-in-db", "viewer");
        assertEquals(400, a.status(), a.body());
        assertEquals(Problems.MEDIA_TYPE, a.type());
    }

    @Test
    void stackTraceOfOneFailureSiteIsLoggedAtMostOnceAMinute() {
        AtomicLong now = new AtomicLong(1_000_000);
        UnexpectedExceptionMapper mapper = new UnexpectedExceptionMapper(now::get);
        assertTrue(mapper.log("x", fail()));
        assertFalse(mapper.log("x", fail()));
        now.addAndGet(UnexpectedExceptionMapper.TRACE_INTERVAL_MILLIS);
        assertTrue(mapper.log("x", fail()));
        assertEquals(500, mapper.toResponse(fail()).getStatus());
    }

    private static RuntimeException fail() {
        return new IllegalStateException("boom");
    }
}
