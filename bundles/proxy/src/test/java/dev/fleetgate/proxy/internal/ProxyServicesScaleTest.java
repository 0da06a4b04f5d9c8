package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
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

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ServiceDirectory;

class ProxyServicesScaleTest {
    private final ServiceStore store = mock(ServiceStore.class);
    private final DesiredStateService desired = mock(DesiredStateService.class);
    private final EventAdmin events = mock(EventAdmin.class);
    private final AgentDirectory agents = mock(AgentDirectory.class);
    private final ProxyServices services = new ProxyServices(
            store,
            agents,
            desired,
            new ServiceStatus(store, desired, new TargetHealth(), new ContainerReports()),
            events,
            new FakeSecretBox(),
            Bodies.proxyConfig());
    private final UUID id = UUID.randomUUID();

    private StoredService stored(long revision, String containers) {
        String body = "{'name':'shop','domains':['shop.test'],'upstream':{'targets':[{'host':'127.0.0.1','port':9001}]}"
                + (containers == null ? "" : ",'containers':" + containers) + "}";
        return new StoredService(
                id,
                revision,
                new ServiceValidator(a -> true).validate(Bodies.json(body)).config(),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    @Test
    void scalingStoresTheNewCountSignalsTheContainersSectionAndPostsTheChange() {
        StoredService s = stored(4, "{'image':'web:1','replicas':1,'cpus':0.5}");
        StoredService scaled = new StoredService(id, 5, s.config().withReplicas(3), Instant.EPOCH, Instant.EPOCH);
        when(store.get(id)).thenReturn(Optional.of(s));
        when(store.updateIfRevision(eq(id), eq(4L), any(), any(), any())).thenReturn(Optional.of(scaled));
        assertSame(scaled, services.scale(id, Bodies.json("{'replicas':3}"), "tester"));
        ArgumentCaptor<ServiceConfig> config = ArgumentCaptor.forClass(ServiceConfig.class);
        verify(store).updateIfRevision(eq(id), eq(4L), config.capture(), eq("tester"), eq(ServiceRevision.SCALED));
        assertEquals(3, config.getValue().containers().replicas());
        assertEquals(0.5, config.getValue().containers().cpus(), "everything else is kept");
        assertEquals(s.config().domains(), config.getValue().domains());
        verify(desired).changed(ContainersSection.SECTION);
        verify(desired, never()).changed(ProxySpec.SECTION);
        ArgumentCaptor<Event> e = ArgumentCaptor.forClass(Event.class);
        verify(events).postEvent(e.capture());
        assertEquals(ServiceDirectory.TOPIC_CHANGED, e.getValue().getTopic());
        assertEquals("UPDATED", e.getValue().getProperty("action"));
        assertEquals(5L, e.getValue().getProperty("revision"));
    }

    @Test
    void theSameCountChangesNothing() {
        StoredService s = stored(4, "{'image':'web:1','replicas':2}");
        when(store.get(id)).thenReturn(Optional.of(s));
        assertSame(s, services.scale(id, Bodies.json("{'replicas':2}"), "tester"));
        verify(store, never()).updateIfRevision(any(), anyLong(), any(), any(), any());
        verify(events, never()).postEvent(any());
    }

    @Test
    void aConcurrentChangeIsRetriedOnTheNewRevision() {
        StoredService s4 = stored(4, "{'image':'web:1','replicas':1}");
        StoredService s5 = stored(5, "{'image':'web:2','replicas':1}");
        when(store.get(id)).thenReturn(Optional.of(s4), Optional.of(s5));
        when(store.updateIfRevision(eq(id), eq(4L), any(), any(), any())).thenReturn(Optional.empty());
        when(store.updateIfRevision(eq(id), eq(5L), any(), any(), any()))
                .thenAnswer(inv -> Optional.of(new StoredService(
                        id, 6, inv.getArgument(2, ServiceConfig.class), Instant.EPOCH, Instant.EPOCH)));
        StoredService scaled = services.scale(id, Bodies.json("{'replicas':2}"), "tester");
        assertEquals(6, scaled.revision());
        assertEquals("web:2", scaled.config().containers().image(), "the concurrent change is kept");
    }

    @Test
    void aServiceThatKeepsChangingEndsIn409() {
        when(store.get(id)).thenReturn(Optional.of(stored(4, "{'image':'web:1'}")));
        when(store.updateIfRevision(any(), anyLong(), any(), any(), any())).thenReturn(Optional.empty());
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> services.scale(id, Bodies.json("{'replicas':2}"), "tester"))
                        .status());
        verify(store, times(5)).updateIfRevision(any(), anyLong(), any(), any(), any());
    }

    @Test
    void badCountsServicesWithoutContainersAndUnknownIds() {
        when(store.get(id)).thenReturn(Optional.of(stored(1, "{'image':'web:1'}")));
        for (String body : List.of(
                "{}",
                "{'replicas':-1}",
                "{'replicas':101}",
                "{'replicas':'2'}",
                "{'replicas':1.5}",
                "{'replicas':null}")) {
            ApiException e =
                    assertThrows(ApiException.class, () -> services.scale(id, Bodies.json(body), "tester"), body);
            assertEquals(400, e.status());
            assertEquals("replicas", e.errors().get(0).field());
        }
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> services.scale(id, null, "tester"))
                        .status());
        when(store.get(id)).thenReturn(Optional.of(stored(1, null)));
        ApiException none =
                assertThrows(ApiException.class, () -> services.scale(id, Bodies.json("{'replicas':2}"), "tester"));
        assertEquals(400, none.status());
        assertEquals(
                "the service has no managed containers to scale",
                none.errors().get(0).message());
        when(store.get(id)).thenReturn(Optional.empty());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> services.scale(id, Bodies.json("{'replicas':2}"), "tester"))
                        .status());
        verify(desired, never()).changed(any());
    }
}
