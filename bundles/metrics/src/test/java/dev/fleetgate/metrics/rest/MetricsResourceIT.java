package dev.fleetgate.metrics.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;

import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.UriInfo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.metrics.internal.Exposition;
import dev.fleetgate.metrics.internal.Ingestor;
import dev.fleetgate.metrics.internal.Json;
import dev.fleetgate.metrics.internal.MetricsStorage;
import dev.fleetgate.metrics.internal.Settings;
import dev.fleetgate.persistence.testing.TestDatabase;

/** The JSON shapes the web admin and scripts read. */
class MetricsResourceIT {
    static TestDatabase db;
    static MetricsStorage storage;
    static MetricsResource resource;
    static long t;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        try (InputStream in =
                        MetricsResourceIT.class.getClassLoader().getResourceAsStream("db/metrics/V1__metrics.sql");
                Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        storage = MetricsStorage.open(db.dataSource(), Settings.defaults(), Clock.systemUTC());
        resource = new MetricsResource(storage, new Exposition(storage));
        t = System.currentTimeMillis() / 60_000 * 60_000 - 120_000;
        new Ingestor(storage)
                .accept(
                        "a1",
                        Json.parse("[{\"name\":\"host_cpu_usage_percent\",\"labels\":{\"cpu\":\"total\"},"
                                + "\"points\":[[" + t + ",10],[" + (t + 10_000) + ",20]]}]"));
    }

    @AfterAll
    static void stop() throws IOException {
        storage.close();
        db.close();
    }

    /** As a client reads it (number node types as parsed). */
    private static JsonNode normal(JsonNode n) {
        return Json.parse(n.toString());
    }

    private static UriInfo uri(String... kv) {
        MultivaluedHashMap<String, String> m = new MultivaluedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.add(kv[i], kv[i + 1]);
        }
        UriInfo u = mock(UriInfo.class);
        when(u.getQueryParameters()).thenReturn(m);
        return u;
    }

    @Test
    void queryAnswersSeriesWithIntegerTimes() {
        JsonNode q = resource.query(uri(
                "name",
                "host_cpu_usage_percent",
                "from",
                "" + t,
                "to",
                "" + (t + 60_000),
                "step",
                "1m",
                "agent",
                "a1"));
        assertEquals(
                Json.parse("{\"name\":\"host_cpu_usage_percent\",\"from\":" + t + ",\"to\":" + (t + 60_000)
                        + ",\"step\":60000,\"agg\":\"avg\",\"resolution\":\"1m\",\"series\":[{\"name\":\"host_cpu_usage_percent\","
                        + "\"labels\":{\"agent\":\"a1\",\"cpu\":\"total\"},\"points\":[]}]}"),
                normal(q),
                "no rollup yet: the maintenance job has not run");
        storage.maintain();
        JsonNode p = resource.query(
                        uri("name", "host_cpu_usage_percent", "from", "" + t, "to", "" + (t + 60_000), "step", "1m"))
                .get("series")
                .get(0)
                .get("points");
        assertEquals(Json.parse("[[" + t + ",15.0]]"), normal(p));
        assertEquals(true, p.get(0).get(0).isIntegralNumber());
    }

    @Test
    void latestNamesAndErrors() {
        assertEquals(
                Json.parse("{\"name\":\"host_cpu_usage_percent\",\"by\":\"agent\",\"items\":[{\"labels\":"
                        + "{\"agent\":\"a1\"},\"value\":20.0,\"timestamp\":" + (t + 10_000) + ",\"series\":1}]}"),
                normal(resource.latest(uri("name", "host_cpu_usage_percent", "by", "agent"))));
        assertEquals(
                Json.parse("{\"names\":[{\"name\":\"host_cpu_usage_percent\",\"series\":1,\"labels\":"
                        + "[\"agent\",\"cpu\"]}]}"),
                normal(resource.names()));
        ApiException e = assertThrows(ApiException.class, () -> resource.top(uri("name", "x")));
        assertEquals("by", e.errors().get(0).field());
        assertEquals(
                1,
                resource.top(uri("name", "host_cpu_usage_percent", "by", "cpu", "window", "5m"))
                        .get("items")
                        .size());
    }
}
