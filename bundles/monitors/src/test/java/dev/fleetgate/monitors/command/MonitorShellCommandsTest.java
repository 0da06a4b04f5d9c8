package dev.fleetgate.monitors.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.monitors.internal.MonitorDraft;
import dev.fleetgate.monitors.internal.MonitorInput;
import dev.fleetgate.monitors.internal.MonitorService;

/** monitor-add hands a typed draft to MonitorService, which validates it as the REST API validates a body. */
class MonitorShellCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MonitorAddCommand command() {
        MonitorAddCommand c = new MonitorAddCommand();
        c.name = "shop";
        c.target = "https://shop.example.test/";
        c.agents = List.of("agent-1");
        return c;
    }

    @Test
    void monitorAddSendsTheOptionsAsADraft() {
        MonitorService service = mock(MonitorService.class);
        ArgumentCaptor<MonitorDraft> draft = ArgumentCaptor.forClass(MonitorDraft.class);
        when(service.create(draft.capture())).thenThrow(ApiException.invalid("name", "taken"));
        MonitorAddCommand c = command();
        c.monitors = service;
        c.statuses = List.of(200, 204);
        c.interval = 30;
        c.noRedirects = true;
        c.execute();
        MonitorDraft d = draft.getValue();
        assertEquals("shop", d.name());
        assertEquals("http", d.type());
        assertEquals("https://shop.example.test/", d.target());
        assertEquals(30, d.intervalSeconds());
        assertEquals(List.of("agent-1"), d.agentIds());
        assertEquals(List.of(200, 204), d.expect().statuses());
        assertNull(d.expect().values());
        assertEquals(false, d.followRedirects());
        assertEquals(2, d.confirmations());
        assertNull(d.serviceId());
    }

    @Test
    void aDashIsNoTargetForAnAttachedMonitor() {
        MonitorAddCommand c = command();
        c.type = "dns";
        c.target = "-";
        c.serviceId = "0b6f7c2e-1d2a-4e1b-9a55-3c1f2a0b9d10";
        c.values = List.of("127.0.0.1");
        assertNull(c.draft().target());
        assertNull(c.draft().expect().statuses());
        assertEquals(List.of("127.0.0.1"), c.draft().expect().values());
        MonitorInput in = MonitorInput.validate(c.draft(), 10, new Fields());
        assertNotNull(in);
        assertEquals("", in.target());
        assertEquals("0b6f7c2e-1d2a-4e1b-9a55-3c1f2a0b9d10", in.serviceId());
    }

    @Test
    void aDraftIsRefusedWithTheFieldsAndReasonsOfTheSameBody() throws Exception {
        MonitorAddCommand c = command();
        c.target = "not a url";
        c.interval = 5;
        c.confirmations = 0;
        c.recordType = "MX";
        Fields typed = new Fields();
        assertNull(MonitorInput.validate(c.draft(), 10, typed));
        ApiException json = assertThrows(
                ApiException.class,
                () -> MonitorInput.parse(JSON.readTree("{\"name\":\"shop\",\"type\":\"http\",\"target\":\"not a url\","
                        + "\"intervalSeconds\":5,\"agentIds\":[\"agent-1\"],\"confirmations\":0,"
                        + "\"recordType\":\"MX\",\"followRedirects\":true}")));
        assertEquals(json.errors(), typed.errors());
        assertEquals(
                List.of("target", "intervalSeconds", "confirmations", "recordType"),
                typed.errors().stream().map(FieldError::field).toList());
        assertEquals(
                "must be an integer from 10 to 86400", typed.errors().get(1).message());
    }

    @Test
    void theConfiguredMinimumIntervalIsTheLowerBound() {
        MonitorAddCommand c = command();
        c.interval = 2;
        assertNotNull(MonitorInput.validate(c.draft(), 1, new Fields()));
        Fields errors = new Fields();
        assertNull(MonitorInput.validate(c.draft(), 3, errors));
        assertEquals(List.of(new FieldError("intervalSeconds", "must be an integer from 3 to 86400")), errors.errors());
    }
}
