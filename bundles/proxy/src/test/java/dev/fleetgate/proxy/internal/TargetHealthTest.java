package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import dev.fleetgate.api.Topics;
import dev.fleetgate.proxy.internal.TargetHealth.HostPort;

class TargetHealthTest {

    private static Event report(String agent, String statusJson) {
        return new Event(Topics.AGENT_REPORT, Map.of("agentId", agent, "status", Bodies.json(statusJson)));
    }

    @Test
    void aggregatesAcrossAgentsAndReplacesPerAgent() {
        TargetHealth h = new TargetHealth();
        h.handleEvent(report(
                "a1",
                "{'proxy':{'targets':[{'serviceId':'s','host':'127.0.0.1','port':9001,'healthy':true},"
                        + "{'serviceId':'s','host':'127.0.0.1','port':9002,'healthy':true},"
                        + "{'serviceId':'other','host':'127.0.0.1','port':9001,'healthy':false},{'bad':1}]}}"));
        h.handleEvent(report(
                "a2", "{'proxy':{'targets':[{'serviceId':'s','host':'127.0.0.1','port':9002,'healthy':false}]}}"));
        assertEquals(
                Map.of(new HostPort("127.0.0.1", 9001), true, new HostPort("127.0.0.1", 9002), false),
                h.health("s", List.of("a1", "a2")));
        assertEquals(
                Map.of(new HostPort("127.0.0.1", 9001), true, new HostPort("127.0.0.1", 9002), true),
                h.health("s", List.of("a1")),
                "only the service's agents count");

        h.handleEvent(report("a2", "{'bundles':[]}"));
        assertEquals(
                false,
                h.health("s", List.of("a2")).get(new HostPort("127.0.0.1", 9002)),
                "a report without proxy status keeps the last one");
        h.handleEvent(report("a2", "{'proxy':{'targets':[]}}"));
        assertEquals(Map.of(), h.health("s", List.of("a2")));
    }
}
