package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.persistence.testing.TestDatabase;

/** The store against a real PostgreSQL, schema from the bundle's migration. */
class ServiceStoreIT {
    private static TestDatabase db;
    private static ServiceStore store;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        store = new ServiceStore(schema(db));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** Applies the bundle's migrations to {@code db}. */
    static javax.sql.DataSource schema(TestDatabase db) throws Exception {
        Migrations.apply(
                db.dataSource(),
                "proxy",
                List.of(
                        new Migration(1, "services", sql("db/proxy/V1__services.sql")),
                        new Migration(2, "service_revisions", sql("db/proxy/V2__service_revisions.sql"))));
        return db.dataSource();
    }

    private static String sql(String resource) throws IOException {
        try (InputStream in = ServiceStoreIT.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ServiceConfig config(String name, String... domains) {
        ObjectNode b = Bodies.full();
        b.put("name", name);
        b.putArray("domains")
                .addAll(List.of(domains).stream()
                        .map(Json.MAPPER.getNodeFactory()::textNode)
                        .toList());
        return ValidatorAssertions.valid(b);
    }

    @Test
    void tlsRoundTripsThroughPostgresql() {
        ObjectNode b = Bodies.full();
        b.put("name", "tls-store");
        b.putArray("domains").add("tls-store.test");
        b.set(
                "tls",
                Bodies.json("{'mode':'custom','certificateId':'5f0c8f5e-8a7b-4a35-9d1a-1c2b3d4e5f60',"
                        + "'redirectHttp':false,'hstsMaxAgeSeconds':600}"));
        ServiceConfig c = ValidatorAssertions.valid(b);
        StoredService created = store.create(c, "it");
        StoredService read = store.get(created.id()).orElseThrow();
        assertEquals(
                new dev.fleetgate.proxy.ServiceDirectory.TlsSetting(
                        "custom", "5f0c8f5e-8a7b-4a35-9d1a-1c2b3d4e5f60", false, 600L),
                read.config().tls());
        StoredService off = store.update(
                created.id(), read.config().withTls(dev.fleetgate.proxy.ServiceDirectory.TlsSetting.OFF), "it");
        assertEquals(
                dev.fleetgate.proxy.ServiceDirectory.TlsSetting.OFF,
                store.get(off.id()).orElseThrow().config().tls());
        assertTrue(store.delete(created.id()));
    }

    @Test
    void crudWithRevisions() {
        ServiceConfig c = config("crud", "crud.test", "*.crud.test");
        StoredService created = store.create(c, "it");
        assertEquals(1, created.revision());
        assertEquals(c, created.config(), "JSONB round trip keeps every field");
        assertEquals(created, store.get(created.id()).orElseThrow());
        assertEquals(created.id(), store.findByName("crud").orElseThrow().id());
        assertTrue(store.list().stream().anyMatch(s -> s.id().equals(created.id())));

        StoredService updated = store.update(created.id(), config("crud-renamed", "crud.test", "www.crud.test"), "it");
        assertEquals(2, updated.revision());
        assertEquals("crud-renamed", updated.name());
        assertEquals(created.createdAt(), updated.createdAt());
        assertEquals(
                3,
                store.update(created.id(), config("crud-renamed", "crud.test"), "it")
                        .revision(),
                "every change bumps the revision");
        assertTrue(store.findByName("crud").isEmpty());

        // the dropped domains are free again, the kept one is not
        store.create(config("crud-other", "www.crud.test", "*.crud.test"), "it");
        assertThrows(ApiException.class, () -> store.create(config("crud-third", "crud.test"), "it"));

        assertTrue(store.delete(created.id()));
        assertTrue(store.get(created.id()).isEmpty());
        assertTrue(!store.delete(created.id()));
        assertEquals(1, store.create(config("crud-again", "crud.test"), "it").revision(), "delete frees the domain");
    }

    @Test
    void takenDomainIs409NamingTheField() {
        store.create(config("owner", "taken.test"), "it");
        ApiException e =
                assertThrows(ApiException.class, () -> store.create(config("thief", "free.test", "taken.test"), "it"));
        assertEquals(409, e.status());
        assertEquals("domains[1]", e.errors().get(0).field());
        assertTrue(
                e.errors().get(0).message().contains("owner"), e.errors().get(0).message());
        assertTrue(store.findByName("thief").isEmpty(), "nothing of the failed create remains");
        store.create(config("thief", "free.test"), "it");
    }

    @Test
    void updateCannotTakeADomainOrName() {
        StoredService a = store.create(config("upd-a", "upd-a.test"), "it");
        StoredService b = store.create(config("upd-b", "upd-b.test"), "it");
        ApiException e =
                assertThrows(ApiException.class, () -> store.update(b.id(), config("upd-b", "upd-a.test"), "it"));
        assertEquals(409, e.status());
        e = assertThrows(ApiException.class, () -> store.update(b.id(), config("upd-a", "upd-b.test"), "it"));
        assertEquals(409, e.status());
        assertEquals("name", e.errors().get(0).field());
        assertEquals(b, store.get(b.id()).orElseThrow(), "a refused update changes nothing");
        assertEquals(a.revision(), store.get(a.id()).orElseThrow().revision());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> store.update(UUID.randomUUID(), config("x", "x.test"), "it"))
                        .status());
    }

    @Test
    void replicaChangesNeedTheRevisionTheyWereMadeOn() {
        StoredService s = store.create(config("scale", "scale.test"), "it");
        assertEquals(2, s.config().containers().replicas());
        StoredService scaled = store.updateIfRevision(
                        s.id(), 1, s.config().withReplicas(5), "it", ServiceRevision.SCALED)
                .orElseThrow();
        assertEquals(2, scaled.revision());
        assertEquals(5, store.get(s.id()).orElseThrow().config().containers().replicas());
        assertEquals(
                scaled.config(), store.get(s.id()).orElseThrow().config(), "limits and modes survive the round trip");
        assertTrue(
                store.updateIfRevision(s.id(), 1, s.config().withReplicas(7), "it", ServiceRevision.SCALED)
                        .isEmpty(),
                "stale revision");
        assertTrue(
                store.updateIfRevision(UUID.randomUUID(), 1, s.config(), "it", ServiceRevision.SCALED)
                        .isEmpty(),
                "unknown service");
        assertEquals(5, store.get(s.id()).orElseThrow().config().containers().replicas());
    }

    @Test
    void sameNameIs409() {
        store.create(config("twin", "twin1.test"), "it");
        ApiException e = assertThrows(ApiException.class, () -> store.create(config("twin", "twin2.test"), "it"));
        assertEquals(409, e.status());
        assertEquals("name", e.errors().get(0).field());
    }

    @Test
    void concurrentCreatesOfOneDomainLetExactlyOneWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                String domain = "race" + round + ".test";
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    ServiceConfig c = config("race-" + round + "-" + i, domain);
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            store.create(c, "it");
                            return 201;
                        } catch (ApiException e) {
                            return e.status();
                        }
                    }));
                }
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : results) {
                    statuses.add(f.get(30, TimeUnit.SECONDS));
                }
                assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
                assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
