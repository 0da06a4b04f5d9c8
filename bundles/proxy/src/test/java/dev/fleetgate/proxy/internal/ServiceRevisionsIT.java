package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.EventAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.rest.ServicesResource;

/** Revision history and rollback against a real PostgreSQL, through the service layer and the resource. */
class ServiceRevisionsIT {
    private static final AgentInfo HOST = SpecBuilderTest.agent(Bodies.AGENT, AgentInfo.Role.HOST, "127.0.0.1");
    private static TestDatabase db;
    private static ServiceStore store;
    private static final List<AgentInfo> enrolled = new CopyOnWriteArrayList<>(List.of(HOST));
    private static final DesiredStateService desired = mock(DesiredStateService.class);
    private static ProxyServices services;
    private static ServicesResource resource;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        store = new ServiceStore(ServiceStoreIT.schema(db));
        AgentDirectory agents = new AgentDirectory() {
            @Override
            public List<AgentInfo> list() {
                return List.copyOf(enrolled);
            }

            @Override
            public Optional<AgentInfo> get(String id) {
                return enrolled.stream().filter(a -> a.id().equals(id)).findFirst();
            }
        };
        ServiceStatus status = new ServiceStatus(store, desired, new TargetHealth(), new ContainerReports());
        services = new ProxyServices(
                store, agents, desired, status, mock(EventAdmin.class), new FakeSecretBox(), Bodies.proxyConfig());
        resource = new ServicesResource(services, status);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static ObjectNode body(String name, int port) {
        ObjectNode b = Bodies.minimal().put("name", name);
        b.putArray("domains").add(name + ".example.test");
        ((ObjectNode) b.get("upstream").get("targets").get(0)).put("port", port);
        return b;
    }

    private static int port(StoredService s) {
        ProxySpec spec = new SpecBuilder(80).build(HOST, store.list(), id -> Optional.of(HOST));
        return spec.upstreams().stream()
                .filter(u -> u.serviceId().equals(s.id().toString()))
                .findFirst()
                .orElseThrow()
                .targets()
                .get(0)
                .port();
    }

    @Test
    void historyGrowsAndRollbackRestoresAsNewRevision() {
        StoredService s = services.create(body("hist", 9001), false, "alice");
        services.update(s.id(), body("hist", 9002), false, "bob");
        services.update(s.id(), body("hist", 9003), true, "carol");

        List<ServiceRevision> h = services.revisions(s.id());
        assertEquals(
                List.of(3L, 2L, 1L), h.stream().map(ServiceRevision::revision).toList(), "newest first");
        assertEquals(
                List.of("carol", "bob", "alice"),
                h.stream().map(ServiceRevision::changedBy).toList());
        assertEquals(
                List.of("UPDATED", "UPDATED", "CREATED"),
                h.stream().map(ServiceRevision::action).toList());
        assertNull(h.get(0).config(), "listings carry no configuration");
        assertTrue(h.stream().allMatch(r -> r.sourceRevision() == null), "only rollbacks name a source revision");
        assertNull(services.revision(s.id(), 2).sourceRevision());
        assertEquals(
                9001,
                services.revision(s.id(), 1)
                        .config()
                        .upstream()
                        .targets()
                        .get(0)
                        .port());
        assertEquals(9003, port(s));

        StoredService back = services.rollback(s.id(), Bodies.json("{'revision':1}"), false, "dave");
        assertEquals(4, back.revision(), "a rollback is a new revision");
        assertEquals(services.revision(s.id(), 1).config(), back.config(), "the old configuration, unchanged");
        assertEquals(9001, port(back), "the desired state follows the restored configuration");
        verify(desired, org.mockito.Mockito.atLeastOnce()).changed(ProxySpec.SECTION);
        ServiceRevision newest = services.revisions(s.id()).get(0);
        assertEquals("ROLLED_BACK", newest.action());
        assertEquals("dave", newest.changedBy());
        assertEquals(1L, newest.sourceRevision());

        // the REST shape: list and one revision with its config
        JsonNode listed = resource.revisions(s.id().toString()).get(0);
        assertEquals(4, listed.get("revision").asLong());
        assertEquals("dave", listed.get("changedBy").asText());
        assertTrue(listed.has("changedAt") && !listed.has("config"));
        assertEquals(1, listed.get("sourceRevision").asLong());
        assertTrue(resource.revisions(s.id().toString())
                .get(1)
                .get("sourceRevision")
                .isNull());
        JsonNode one = resource.revision(s.id().toString(), "2");
        assertEquals(9002, one.at("/config/upstream/targets/0/port").asInt());
        assertEquals("hist", one.at("/config/name").asText());
    }

    @Test
    void scalingIsRecordedAndSecretsSurviveARollback() {
        ObjectNode b = body("scaled", 9010);
        ((ObjectNode) b.get("upstream")).putArray("targets");
        b.set(
                "containers",
                Bodies.json("{'image':'fleetgate/demo:latest','replicas':1,'secretEnv':{'TOKEN':'s3cret'}}"));
        StoredService s = services.create(b, true, "alice");
        String sealed = s.config().containers().secretEnv().get("TOKEN");
        services.scale(s.id(), Bodies.json("{'replicas':3}"), "bob");
        assertEquals("SCALED", services.revisions(s.id()).get(0).action());

        StoredService back = services.rollback(s.id(), Bodies.json("{'revision':1}"), true, "carol");
        assertEquals(1, back.config().containers().replicas());
        assertEquals(sealed, back.config().containers().secretEnv().get("TOKEN"), "sealed value kept, not re-sealed");
        JsonNode shown = resource.revision(s.id().toString(), "1");
        assertEquals(
                "{\"TOKEN\":{\"set\":true}}",
                shown.at("/config/containers/secretEnv").toString(),
                "masked");
    }

    @Test
    void retentionKeepsTheLastRevisions() {
        StoredService s = services.create(body("kept", 9100), false, "alice");
        int changes = ServiceStore.KEPT_REVISIONS + 5;
        for (int i = 1; i <= changes; i++) {
            services.update(s.id(), body("kept", 9100 + i), false, "bob");
        }
        List<ServiceRevision> h = services.revisions(s.id());
        assertEquals(ServiceStore.KEPT_REVISIONS, h.size());
        assertEquals(changes + 1, h.get(0).revision());
        assertEquals(
                changes + 2 - ServiceStore.KEPT_REVISIONS, h.get(h.size() - 1).revision());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> services.revision(s.id(), 1))
                        .status());
        ApiException e = assertThrows(
                ApiException.class, () -> services.rollback(s.id(), Bodies.json("{'revision':1}"), false, "bob"));
        assertEquals(400, e.status());
        assertEquals("revision", e.errors().get(0).field());
    }

    @Test
    void badRollbacksAreRefused() {
        StoredService s = services.create(body("bad", 9200), false, "alice");
        String id = s.id().toString();
        for (String bad : List.of(
                "{}",
                "{'revision':0}",
                "{'revision':-1}",
                "{'revision':'1'}",
                "{'revision':1.5}",
                "{'revision':null}",
                "{'revision':99999999999}",
                "{'revision':7}")) {
            ApiException e = assertThrows(ApiException.class, () -> resource.rollback(id, Bodies.json(bad), null), bad);
            assertEquals(400, e.status(), bad);
            assertEquals("revision", e.errors().get(0).field(), bad);
        }
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> resource.rollback(id, null, null))
                        .status());
        assertEquals(
                400,
                assertThrows(
                                ApiException.class,
                                () -> resource.rollback(
                                        id, Json.MAPPER.createArrayNode().add(1), null))
                        .status());
        assertEquals(
                409,
                assertThrows(
                                ApiException.class,
                                () -> services.rollback(s.id(), Bodies.json("{'revision':1}"), false, "bob"))
                        .status(),
                "current");

        // an old configuration that is no longer valid (its agent left) is a conflict, not applied
        String gone = "0b7c5a1e-2f0a-4d43-9a57-6f1f0f0c0aff";
        enrolled.add(SpecBuilderTest.agent(gone, AgentInfo.Role.HOST, "127.0.0.2"));
        services.update(
                s.id(),
                body("bad", 9201).set("agentIds", Json.MAPPER.createArrayNode().add(gone)),
                false,
                "bob");
        services.update(s.id(), body("bad", 9202), false, "bob");
        enrolled.removeIf(a -> a.id().equals(gone));
        ApiException e = assertThrows(
                ApiException.class, () -> services.rollback(s.id(), Bodies.json("{'revision':2}"), false, "bob"));
        assertEquals(409, e.status());
        assertTrue(
                e.errors().stream().anyMatch(f -> f.field().startsWith("agentIds")),
                e.errors().toString());
        assertEquals(3, services.get(s.id()).revision(), "nothing stored");

        for (String rev : List.of("0", "x", "-1", "1.0", "99999999999")) {
            ApiException r = assertThrows(ApiException.class, () -> resource.revision(id, rev), rev);
            assertEquals(400, r.status(), rev);
            assertEquals("revision", r.errors().get(0).field(), rev);
        }
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> resource.revisions("nope"))
                        .status());
    }

    @Test
    void unknownServiceOrRevisionIs404() {
        String unknown = UUID.randomUUID().toString();
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> resource.revisions(unknown))
                        .status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> resource.revision(unknown, "1"))
                        .status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> resource.rollback(unknown, Bodies.json("{'revision':1}"), null))
                        .status());
        StoredService s = services.create(body("lonely", 9300), false, "alice");
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> resource.revision(s.id().toString(), "2"))
                        .status());
        services.delete(s.id(), "bob");
        assertEquals(
                List.of("DELETED", "CREATED"),
                services.revisions(s.id()).stream().map(ServiceRevision::action).toList(),
                "the history stays");
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> resource.get(s.id().toString()))
                        .status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> resource.revision(s.id().toString(), "3"))
                        .status());
    }

    @Test
    void aDeletedServiceKeepsItsHistoryAndCanBeRestored() {
        StoredService s = services.create(body("gone", 9400), false, "alice");
        services.update(s.id(), body("gone", 9401), false, "bob");
        services.delete(s.id(), "bob");
        services.delete(
                services.create(body("other-gone", 9410), false, "alice").id(), "carol");

        List<JsonNode> listed = resource.revisions(s.id().toString()).stream()
                .map(JsonNode.class::cast)
                .toList();
        assertEquals(
                List.of(3L, 2L, 1L),
                listed.stream().map(r -> r.get("revision").asLong()).toList());
        assertEquals("DELETED", listed.get(0).get("action").asText());
        assertEquals(
                9401,
                resource.revision(s.id().toString(), "3")
                        .at("/config/upstream/targets/0/port")
                        .asInt(),
                "the DELETED revision holds the last configuration");
        JsonNode deleted = resource.deleted().stream()
                .filter(d -> d.get("id").asText().equals(s.id().toString()))
                .findFirst()
                .orElseThrow();
        assertEquals("gone", deleted.get("name").asText());
        assertEquals(3, deleted.get("revision").asLong());
        assertTrue(deleted.has("deletedAt") && deleted.has("deletedBy"));
        assertEquals("other-gone", resource.deleted().get(0).get("name").asText(), "most recently deleted first");
        assertTrue(resource.list().stream().noneMatch(n -> n.get("id").asText().equals(s.id().toString())));

        // the domain is free meanwhile: a new service takes it, restoring is a conflict until it is gone
        StoredService taker = services.create(body("gone", 9500).put("name", "taker"), false, "erin");
        assertEquals(
                409,
                assertThrows(
                                ApiException.class,
                                () -> services.rollback(s.id(), Bodies.json("{'revision':1}"), false, "dave"))
                        .status());
        services.delete(taker.id(), "erin");

        StoredService back = services.rollback(s.id(), Bodies.json("{'revision':1}"), false, "dave");
        assertEquals(s.id(), back.id(), "the same id");
        assertEquals(4, back.revision(), "the revision after the DELETED one");
        assertEquals(9400, back.config().upstream().targets().get(0).port());
        assertEquals(9400, port(back), "the desired state has it again");
        ServiceRevision newest = services.revisions(s.id()).get(0);
        assertEquals(ServiceRevision.RESTORED, newest.action());
        assertEquals("dave", newest.changedBy());
        assertEquals(1L, newest.sourceRevision());
        assertTrue(
                resource.deleted().stream().noneMatch(d -> d.get("id").asText().equals(s.id().toString())));
        assertEquals(
                409,
                assertThrows(
                                ApiException.class,
                                () -> services.rollback(s.id(), Bodies.json("{'revision':4}"), false, "dave"))
                        .status(),
                "restored: rollback rules again");
        assertEquals(
                400,
                assertThrows(
                                ApiException.class,
                                () -> services.rollback(taker.id(), Bodies.json("{'revision':9}"), false, "dave"))
                        .status(),
                "a deleted service restores only from a kept revision");
    }

    @Test
    void onlyTheMostRecentlyDeletedServicesKeepTheirHistory() {
        List<UUID> ids = new java.util.ArrayList<>();
        for (int i = 0; i < ServiceStore.KEPT_DELETED + 3; i++) {
            StoredService s = services.create(body("bounded-" + i, 9600), false, "alice");
            services.delete(s.id(), "alice");
            ids.add(s.id());
        }
        List<ServiceStore.DeletedService> kept = services.deleted();
        assertEquals(ServiceStore.KEPT_DELETED, kept.size());
        assertEquals(ids.get(ids.size() - 1), kept.get(0).id());
        for (UUID dropped : ids.subList(0, 3)) {
            assertTrue(store.revisions(dropped).isEmpty(), "the oldest deletions lose their history");
            assertEquals(
                    404,
                    assertThrows(ApiException.class, () -> services.revisions(dropped))
                            .status());
        }
        assertEquals(2, services.revisions(ids.get(3)).size());
    }
}
