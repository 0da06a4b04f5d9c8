package dev.fleetgate.scaling.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.proxy.ServiceDirectory.ServiceInfo;
import dev.fleetgate.scaling.internal.AutoscalingService;
import dev.fleetgate.scaling.internal.AutoscalingStore;
import dev.fleetgate.scaling.internal.Policy;
import dev.fleetgate.scaling.internal.PolicyJson;

/** autoscale on/off builds a typed PolicyDraft over the stored policy and hands the validated Policy to the service. */
class AutoscaleCommandTest {
    private static final UUID ID = UUID.randomUUID();
    private static final ServiceInfo SHOP =
            new ServiceInfo(ID.toString(), "shop", 1, List.of(), List.of("a1", "a2"), List.of(), true, 2, null, null);

    private final AutoscalingService scaling = mock(AutoscalingService.class);

    private AutoscaleCommand command(String action) {
        AutoscaleCommand c = new AutoscaleCommand();
        c.scaling = scaling;
        c.service = "shop";
        c.action = action;
        when(scaling.findService("shop")).thenReturn(Optional.of(SHOP));
        return c;
    }

    private Policy put(AutoscaleCommand c) {
        ArgumentCaptor<Policy> policy = ArgumentCaptor.forClass(Policy.class);
        when(scaling.put(eq(SHOP), policy.capture()))
                .thenAnswer(i -> new AutoscalingStore.StoredPolicy(ID, i.getArgument(1), null, null, Instant.EPOCH));
        c.execute();
        return policy.getValue();
    }

    @Test
    void onWithoutAPolicyStartsAtTheReplicasTheServiceRuns() {
        when(scaling.policy(ID)).thenReturn(Optional.empty());
        AutoscaleCommand c = command("on");
        c.rps = 50.0;
        c.zeroAfter = 120;
        Policy p = put(c);
        assertEquals(true, p.enabled());
        assertEquals(4, p.minReplicas(), "2 replicas on each of 2 agents");
        assertEquals(4, p.maxReplicas());
        assertEquals(50.0, p.targets().rpsPerReplica());
        assertEquals(120, p.scaleToZeroAfterSeconds());
        assertEquals(Policy.DEFAULT_MAX_5XX, p.max5xxPercent());
        assertEquals(Policy.DEFAULT_DOWN_WINDOW, p.scaleDownStabilizationSeconds());
    }

    @Test
    void optionsChangeOnlyWhatTheyNameOfTheStoredPolicy() throws Exception {
        Fields in = new Fields();
        Policy stored = PolicyJson.read(
                PolicyJson.MAPPER.readTree("{\"minReplicas\":2,\"maxReplicas\":6,\"targets\":{\"p95Ms\":200},"
                        + "\"max5xxPercent\":null,\"scaleToZeroAfterSeconds\":60,\"cooldownSeconds\":30}"),
                in);
        in.check();
        when(scaling.policy(ID))
                .thenReturn(Optional.of(new AutoscalingStore.StoredPolicy(ID, stored, null, null, Instant.EPOCH)));
        AutoscaleCommand c = command("off");
        c.max = 8;
        c.cpu = 70.0;
        c.zeroAfter = 0;
        Policy p = put(c);
        assertEquals(false, p.enabled());
        assertEquals(2, p.minReplicas());
        assertEquals(8, p.maxReplicas());
        assertEquals(200.0, p.targets().p95Ms());
        assertEquals(70.0, p.targets().cpuPercent());
        assertNull(p.max5xxPercent(), "the guard stays off");
        assertNull(p.scaleToZeroAfterSeconds(), "--zero-after 0 switches scale to zero off");
        assertEquals(30, p.cooldownSeconds());
    }

    @Test
    void badOptionsAreTheRestApisFieldErrorsAndNothingIsStored() throws Exception {
        when(scaling.policy(ID)).thenReturn(Optional.empty());
        AutoscaleCommand c = command("on");
        c.min = 5;
        c.max = 3;
        c.cpu = 150.0;
        c.maxHeld = 0;
        c.execute();
        verify(scaling, never()).put(any(), any());
        Fields typed = new Fields();
        c.draft(null, SHOP).validate(typed);
        Fields json = new Fields();
        PolicyJson.read(
                PolicyJson.MAPPER.readTree("{\"enabled\":true,\"minReplicas\":5,\"maxReplicas\":3,"
                        + "\"targets\":{\"cpuPercent\":150},\"maxHeldRequests\":0}"),
                json);
        assertEquals(json.errors(), typed.errors());
        assertEquals(
                List.of(
                        new FieldError("maxReplicas", "must be at least minReplicas (5)"),
                        new FieldError("targets.cpuPercent", "must be a number from 1 to 100"),
                        new FieldError("maxHeldRequests", "must be an integer from 1 to 10000")),
                typed.errors());
    }
}
