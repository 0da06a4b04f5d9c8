package dev.fleetgate.proxy.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.ServiceConfig;
import dev.fleetgate.proxy.internal.StoredService;

/** service-add and scale hand typed values to ProxyServices, which validates them as the REST API does. */
class ServiceShellCommandsTest {
    private final ProxyServices services = mock(ProxyServices.class);

    @Test
    void targetsAreHostAndPortWithBracketedIpv6AndBadPortsAsZero() {
        assertEquals(
                new ServiceConfig.Target("127.0.0.1", 9001, 1, null, null), ServiceAddCommand.target("127.0.0.1:9001"));
        assertEquals(new ServiceConfig.Target("::1", 9002, 1, null, null), ServiceAddCommand.target("[::1]:9002"));
        assertEquals(0, ServiceAddCommand.target("web:http").port());
        assertEquals(0, ServiceAddCommand.target("web").port());
    }

    @Test
    void serviceAddPlacesOnHostAgentsOnlyByDefault() {
        AgentDirectory agents = mock(AgentDirectory.class);
        when(agents.list())
                .thenReturn(List.of(
                        new AgentInfo("h1", "h1", "h1", AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, null, "1", null),
                        new AgentInfo(
                                "e1", "e1", "e1", AgentInfo.Role.EDGE, AgentInfo.Status.ONLINE, null, "1", null)));
        ArgumentCaptor<ServiceConfig> config = ArgumentCaptor.forClass(ServiceConfig.class);
        when(services.create(config.capture(), eq(true), eq(ProxyServices.SHELL)))
                .thenAnswer(
                        i -> new StoredService(UUID.randomUUID(), 1, i.getArgument(0), Instant.EPOCH, Instant.EPOCH));
        ServiceAddCommand c = new ServiceAddCommand();
        c.name = "shop";
        c.domain = "shop.example.test";
        c.targets = List.of("127.0.0.1:9001");
        c.services = services;
        c.agents = agents;
        c.execute();
        assertEquals(List.of("h1"), config.getValue().agentIds());
        assertEquals(List.of("shop.example.test"), config.getValue().domains());
        assertEquals(1, config.getValue().upstream().targets().size());
    }

    @Test
    void scaleSendsTheCount() {
        UUID id = UUID.randomUUID();
        StoredService shop = new StoredService(id, 3, mock(ServiceConfig.class), Instant.EPOCH, Instant.EPOCH);
        when(services.findByNameOrId("shop")).thenReturn(Optional.of(shop));
        when(services.scale(any(UUID.class), anyInt(), any(String.class))).thenReturn(shop);
        ScaleCommand c = new ScaleCommand();
        c.service = "shop";
        c.replicas = 4;
        c.services = services;
        c.execute();
        verify(services).scale(id, 4, ProxyServices.SHELL);
    }
}
