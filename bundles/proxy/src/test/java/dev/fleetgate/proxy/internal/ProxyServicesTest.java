package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ServiceDirectory;

class ProxyServicesTest {
    private final ServiceStore store = mock(ServiceStore.class);
    private final DesiredStateService desired = mock(DesiredStateService.class);
    private final EventAdmin events = mock(EventAdmin.class);
    private final AgentDirectory agents = new AgentDirectory() {
        @Override
        public List<AgentInfo> list() {
            return List.of(SpecBuilderTest.agent(Bodies.AGENT, AgentInfo.Role.HOST, null));
        }

        @Override
        public Optional<AgentInfo> get(String id) {
            return list().stream().filter(a -> a.id().equals(id)).findFirst();
        }
    };
    private final ContainerReports reports = new ContainerReports();
    private final ProxyServices services = new ProxyServices(
            store,
            agents,
            desired,
            new ServiceStatus(store, desired, new TargetHealth(), reports),
            events,
            new FakeSecretBox(),
            Bodies.proxyConfig());

    @Test
    void invalidBodyIs400AndNothingIsStored() {
        ApiException e = assertThrows(
                ApiException.class, () -> services.create(Bodies.minimal().put("name", "a;b")));
        assertEquals(400, e.status());
        assertEquals("name", e.errors().get(0).field());
        verify(store, never()).create(any(), any());
        verify(desired, never()).changed(any());
    }

    @Test
    void aTypedConfigurationIsCheckedAsItsBodyWouldBe() {
        ServiceConfig bad = ServiceConfig.of(
                "typed", List.of("typed.example.test"), List.of(Bodies.AGENT), List.of(target("127.0.0.1", 0)));
        ApiException e = assertThrows(ApiException.class, () -> services.create(bad, true, "tester"));
        assertEquals(400, e.status());
        assertEquals("upstream.targets[0].port", e.errors().get(0).field());
        verify(store, never()).create(any(), any());

        ServiceConfig good = ServiceConfig.of(
                "typed", List.of("Typed.Example.test"), List.of(Bodies.AGENT), List.of(target("127.0.0.1", 9001)));
        when(store.create(any(), any()))
                .thenAnswer(
                        i -> new StoredService(UUID.randomUUID(), 1, i.getArgument(0), Instant.EPOCH, Instant.EPOCH));
        StoredService s = services.create(good, true, "tester");
        assertEquals(List.of("typed.example.test"), s.config().domains());
        assertEquals(good.upstream(), s.config().upstream());
        verify(desired).changed(ProxySpec.SECTION);
    }

    @Test
    void aTypedScaleOrRollbackOutOfRangeIs400() {
        UUID id = UUID.randomUUID();
        ApiException e = assertThrows(ApiException.class, () -> services.scale(id, -1, "tester"));
        assertEquals("replicas", e.errors().get(0).field());
        e = assertThrows(ApiException.class, () -> services.scale(id, ContainersValidator.MAX_REPLICAS + 1, "tester"));
        assertEquals("replicas", e.errors().get(0).field());
        e = assertThrows(ApiException.class, () -> services.rollback(id, 0, true, "tester"));
        assertEquals("revision", e.errors().get(0).field());
        verify(store, never()).updateIfRevision(any(), org.mockito.ArgumentMatchers.anyLong(), any(), any(), any());
    }

    private static ServiceConfig.Target target(String host, int port) {
        return new ServiceConfig.Target(host, port, 1, null, null);
    }

    @Test
    void writesSignalTheProxySection() {
        UUID id = UUID.randomUUID();
        StoredService s =
                new StoredService(id, 1, ValidatorAssertions.valid(Bodies.minimal()), Instant.EPOCH, Instant.EPOCH);
        when(store.create(any(), any())).thenReturn(s);
        when(store.get(id)).thenReturn(Optional.of(s));
        when(store.update(any(), any(), any())).thenReturn(s);
        when(store.delete(id, ProxyServices.SHELL)).thenReturn(true);
        services.create(Bodies.minimal());
        services.update(id, Bodies.minimal());
        services.delete(id);
        verify(desired, times(3)).changed(ProxySpec.SECTION);
        ArgumentCaptor<Event> posted = ArgumentCaptor.forClass(Event.class);
        verify(events, times(3)).postEvent(posted.capture());
        assertEquals(
                List.of("CREATED", "UPDATED", "DELETED"),
                posted.getAllValues().stream().map(e -> e.getProperty("action")).toList());
        posted.getAllValues().forEach(e -> {
            assertEquals(ServiceDirectory.TOPIC_CHANGED, e.getTopic());
            assertEquals(id.toString(), e.getProperty("serviceId"));
        });
    }

    @Test
    void onlyAnAdminMayAddCapabilitiesOrAllowUnsafeTargets() {
        ObjectNode caps = Bodies.minimal();
        caps.putObject("containers")
                .put("image", "fleetgate/demo:latest")
                .putArray("capAdd")
                .add("NET_BIND_SERVICE");
        ApiException e = assertThrows(ApiException.class, () -> services.create(caps, false, "tester"));
        assertEquals(400, e.status());
        assertEquals("containers.capAdd", e.errors().get(0).field());
        ObjectNode unsafe = Bodies.minimal().put("allowUnsafeTargets", true);
        ((ObjectNode) unsafe.get("upstream").get("targets").get(0)).put("port", 5432);
        e = assertThrows(ApiException.class, () -> services.create(unsafe, false, "tester"));
        assertEquals("allowUnsafeTargets", e.errors().get(0).field());
        verify(store, never()).create(any(), any());

        UUID id = UUID.randomUUID();
        StoredService admins = new StoredService(id, 1, ValidatorAssertions.valid(caps), Instant.EPOCH, Instant.EPOCH);
        when(store.create(any(), any())).thenReturn(admins);
        when(store.get(id)).thenReturn(Optional.of(admins));
        when(store.update(any(), any(), any())).thenReturn(admins);
        services.create(caps, true, "tester");
        services.create(unsafe, true, "tester");
        // an operator may edit the admin's service keeping its capabilities, not change them
        services.update(id, caps.put("websockets", true), false, "tester");
        ((com.fasterxml.jackson.databind.node.ArrayNode) caps.get("containers").get("capAdd")).add("SETUID");
        e = assertThrows(ApiException.class, () -> services.update(id, caps, false, "tester"));
        assertEquals("containers.capAdd", e.errors().get(0).field());
    }

    @Test
    void secretVariablesAreSealedKeptWhenOmittedAndOpenedOnlyForTheAgents() throws Exception {
        ObjectNode body = Bodies.minimal();
        ObjectNode c = body.putObject("containers").put("image", "fleetgate/demo:latest");
        c.putObject("env").put("MODE", "prod");
        c.putObject("secretEnv").put("DB_PASSWORD", "s3cret-value");
        UUID id = UUID.randomUUID();
        ArgumentCaptor<ServiceConfig> created = ArgumentCaptor.forClass(ServiceConfig.class);
        when(store.create(created.capture(), any()))
                .thenAnswer(inv -> new StoredService(id, 1, inv.getArgument(0), Instant.EPOCH, Instant.EPOCH));
        StoredService s = services.create(body, false, "tester");
        String sealed = created.getValue().containers().secretEnv().get("DB_PASSWORD");
        assertTrue(sealed.startsWith("sealed:"), sealed);
        assertFalse(Json.MAPPER.writeValueAsString(created.getValue()).contains("s3cret"), "stored sealed only");

        // an update that gives the read shape ({"set": true}) keeps the stored value; plain env is untouched
        when(store.get(id)).thenReturn(Optional.of(s));
        ArgumentCaptor<ServiceConfig> updated = ArgumentCaptor.forClass(ServiceConfig.class);
        when(store.update(any(), updated.capture(), any())).thenReturn(s);
        ((ObjectNode) c.get("secretEnv")).putObject("DB_PASSWORD").put("set", true);
        services.update(id, body, false, "tester");
        assertEquals(sealed, updated.getValue().containers().secretEnv().get("DB_PASSWORD"));
        ((ObjectNode) c.get("secretEnv")).putNull("API_KEY");
        ApiException e = assertThrows(ApiException.class, () -> services.update(id, body, false, "tester"));
        assertEquals("containers.secretEnv.API_KEY", e.errors().get(0).field());

        // the agent's section keeps the secret sealed (the platform opens it only in the sync answer)
        StoredService placed = new StoredService(id, 1, updated.getValue(), Instant.EPOCH, Instant.EPOCH);
        JsonNode env = ContainersSection.build(Bodies.AGENT, List.of(placed))
                .path("services")
                .get(0)
                .path("env");
        assertEquals(
                sealed,
                env.path("DB_PASSWORD")
                        .path(dev.fleetgate.api.DesiredStateContributor.SEALED)
                        .asText());
        assertEquals("s3cret-value", new FakeSecretBox().decrypt(sealed));
        assertFalse(env.toString().contains("s3cret"), env.toString());
        assertEquals("prod", env.path("MODE").asText());
    }

    @Test
    void aSecretVariableMayNotAlsoBeAPlainOne() {
        ObjectNode body = Bodies.minimal();
        ObjectNode c = body.putObject("containers").put("image", "fleetgate/demo:latest");
        c.putObject("env").put("TOKEN", "a");
        c.putObject("secretEnv").put("TOKEN", "b");
        ApiException e = assertThrows(ApiException.class, () -> services.create(body, true, "tester"));
        assertEquals("containers.secretEnv.TOKEN", e.errors().get(0).field());
    }

    @Test
    void whereABridgeExistsOnlyAnAdminMayRunHostNetworkContainers() {
        UUID id = UUID.randomUUID();
        when(store.create(any(), any()))
                .thenAnswer(inv -> new StoredService(id, 1, inv.getArgument(0), Instant.EPOCH, Instant.EPOCH));
        ObjectNode host = Bodies.minimal();
        host.putObject("containers").put("image", "fleetgate/demo:latest");
        services.create(
                host, false, "tester"); // no report yet (and engines here have no bridge): host is the only choice
        reports.report(
                Bodies.AGENT, Bodies.json("{'engine':{'available':true,'bridge':true},'containers':[],'services':[]}"));
        ApiException e = assertThrows(ApiException.class, () -> services.create(host, false, "tester"));
        assertEquals("containers.network", e.errors().get(0).field());
        services.create(host, true, "tester");
        ObjectNode bridge = Bodies.minimal();
        bridge.putObject("containers")
                .put("image", "fleetgate/demo:latest")
                .put("network", "bridge")
                .put("port", 8080);
        services.create(bridge, false, "tester");
        // a service that already ran host networking there may be edited by an operator
        StoredService s = services.create(host, true, "tester");
        when(store.get(id)).thenReturn(Optional.of(s));
        when(store.update(any(), any(), any())).thenReturn(s);
        services.update(id, host.put("websockets", true), false, "tester");
    }

    @Test
    void unknownIdsAre404() {
        UUID id = UUID.randomUUID();
        when(store.get(id)).thenReturn(Optional.empty());
        assertEquals(
                404, assertThrows(ApiException.class, () -> services.get(id)).status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> services.update(id, Bodies.minimal()))
                        .status());
        assertEquals(
                404, assertThrows(ApiException.class, () -> services.delete(id)).status());
        verify(desired, never()).changed(any());
        verify(events, never()).postEvent(any());
    }
}
