package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.annotation.security.PermitAll;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.persistence.testing.MutableClock;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.rest.resources.ActivityResource;

/** The activity filter, store and resource against PostgreSQL. */
class ActivityIT {
    private static TestDatabase db;
    private static final MutableClock CLOCK = new MutableClock();
    private ActivityStore store;
    private InMemoryApi api;

    @Path("widgets")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public static final class Widgets implements RestResource {
        @POST
        public Response create(Map<String, Object> body) {
            return Response.created(URI.create("http://localhost/api/v1/widgets/w-42"))
                    .entity(Map.of("id", "w-42"))
                    .build();
        }

        @PUT
        @Path("{id}/password")
        public Response secret(@PathParam("id") String id, Map<String, Object> body) {
            return Response.noContent().build();
        }

        @DELETE
        @Path("{id}")
        public Response delete(@PathParam("id") String id) {
            return Response.noContent().build();
        }

        @POST
        @Path("invalid")
        public String invalid(Map<String, Object> body) {
            throw ApiException.invalid("name", "is required");
        }

        @POST
        @Path("open")
        @PermitAll
        public String open(Map<String, Object> body) {
            return "\"ok\"";
        }
    }

    @BeforeAll
    static void database() throws Exception {
        db = TestDatabase.create();
        try (InputStream in = ActivityIT.class.getResourceAsStream("/db/activity/V1__activity.sql");
                Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE activity_log");
        }
        CLOCK.set(Instant.parse("2026-03-01T12:00:00Z"));
        store = ActivityStore.of(db.dataSource(), CLOCK, Duration.ofDays(90), 100);
        api = new InMemoryApi(new Widgets(), new ActivityFilter(store), new ActivityResource(store));
    }

    @Test
    void successfulWritesByUsersAreRecordedNewestFirstWithoutBodies() {
        assertEquals(
                201,
                api.send("POST", "widgets", "operator", "{\"name\":\"w\",\"password\":\"hunter2-secret\"}")
                        .status());
        CLOCK.advance(Duration.ofSeconds(1));
        assertEquals(
                204,
                api.send(
                                "PUT",
                                "widgets/w-42/password?token=query-secret",
                                "admin",
                                "{\"password\":\"hunter2-secret\"}")
                        .status());
        CLOCK.advance(Duration.ofSeconds(1));
        assertEquals(
                204, api.call("DELETE", "widgets/w-42", "admin", null, null).status());

        InMemoryApi.Answer a = api.get("activity", "admin");
        assertEquals(200, a.status());
        JsonNode list = a.json();
        assertEquals(3, list.size());
        assertEquals("alice", list.get(0).path("user").asText());
        assertEquals("DELETE /widgets/w-42", list.get(0).path("action").asText());
        assertEquals("w-42", list.get(0).path("target").asText());
        assertEquals(204, list.get(0).path("status").asInt());
        assertEquals("2026-03-01T12:00:02Z", list.get(0).path("at").asText());
        assertEquals("PUT /widgets/w-42/password", list.get(1).path("action").asText(), "no query string");
        assertEquals("olga", list.get(2).path("user").asText());
        assertEquals("POST /widgets", list.get(2).path("action").asText());
        assertEquals("w-42", list.get(2).path("target").asText(), "the id the creation answered");
        assertFalse(a.body().contains("secret"), "bodies and queries are never recorded: " + a.body());
    }

    @Test
    void failuresReadsAndCallsWithoutAUserAreNotRecorded() {
        assertEquals(400, api.send("POST", "widgets/invalid", "admin", "{}").status());
        assertEquals(
                403, api.call("DELETE", "widgets/w-1", "viewer", null, null).status());
        assertEquals(401, api.call("DELETE", "widgets/w-1", null, null, null).status());
        assertEquals(200, api.send("POST", "widgets/open", null, "{}").status());
        assertEquals(200, api.get("activity", "admin").status());
        assertEquals(List.of(), store.page(10, null, null));
    }

    @Test
    void pagingWithLimitAndBefore() {
        for (int i = 0; i < 5; i++) {
            CLOCK.advance(Duration.ofSeconds(60));
            api.call("DELETE", "widgets/w-" + i, "admin", null, null);
        }
        JsonNode first = api.get("activity?limit=2", "operator").json();
        assertEquals(
                List.of("w-4", "w-3"),
                List.of(
                        first.get(0).path("target").asText(),
                        first.get(1).path("target").asText()));
        JsonNode next = api.get(
                        "activity?limit=2&before=" + first.get(1).path("id").asLong(), "operator")
                .json();
        assertEquals(
                List.of("w-2", "w-1"),
                List.of(
                        next.get(0).path("target").asText(),
                        next.get(1).path("target").asText()));
        JsonNode byTime =
                api.get("activity?before=2026-03-01T12:02:30Z", "admin").json();
        assertEquals(2, byTime.size());
        assertEquals("w-1", byTime.get(0).path("target").asText());
    }

    @Test
    void viewersMayNotReadAndBadParametersAre400() {
        assertEquals(403, api.get("activity", "viewer").status());
        InMemoryApi.Answer bad = api.get("activity?limit=0&before=yesterday", "admin");
        assertEquals(400, bad.status());
        assertEquals("limit", bad.json().path("errors").get(0).path("field").asText());
        assertEquals("before", bad.json().path("errors").get(1).path("field").asText());
        assertEquals(400, api.get("activity?limit=abc", "admin").status());
        assertEquals(400, api.get("activity?limit=1001", "admin").status());
        assertEquals(
                400, api.get("activity?before=99999999999999999999999", "admin").status());
    }

    @Test
    void pruningKeepsTheRetentionAndTheNewestEntries() {
        for (int i = 0; i < 120; i++) {
            store.record("alice", "DELETE /widgets/w-" + i, "w-" + i, 204);
        }
        CLOCK.advance(Duration.ofDays(91));
        store.record("alice", "DELETE /widgets/new", "new", 204);
        assertEquals(120, store.prune(), "older than 90 days");
        assertEquals(1, store.page(1000, null, null).size());
        for (int i = 0; i < 150; i++) {
            store.record("alice", "DELETE /widgets/x-" + i, "x-" + i, 204);
        }
        assertEquals(51, store.prune(), "beyond the newest 100");
        List<ActivityStore.Entry> left = store.page(1000, null, null);
        assertEquals(100, left.size());
        assertEquals("x-149", left.get(0).target());
        assertEquals("x-50", left.get(99).target());
        assertEquals(0, store.prune());
    }

    @Test
    void aFailingStoreNeverFailsTheCall() {
        ActivityStore broken =
                ActivityStore.of(new org.postgresql.ds.PGSimpleDataSource(), CLOCK, Duration.ofDays(1), 100);
        InMemoryApi withBroken = new InMemoryApi(new Widgets(), new ActivityFilter(broken));
        assertEquals(
                204,
                withBroken.call("DELETE", "widgets/w-1", "admin", null, null).status());
    }
}
