package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.DesiredStateService.SectionState;
import dev.fleetgate.api.Topics;
import dev.fleetgate.proxy.ProxySpec;

/** Replicas and per-agent container states from the agents' reports, and in the service status. */
class ContainerReportsTest {
    private static final String SID = "5f0c7c52-0000-4000-8000-000000000001";
    private final ContainerReports reports = new ContainerReports();

    private static String container(String id, int slot, Integer port, String state, boolean ready) {
        return "{'id':'" + id + "','name':'fg-shop-" + slot + "-abc123','image':'web:1','state':'" + state
                + "','health':'healthy','serviceId':'" + SID + "','replica':" + slot + ",'hostPort':" + port
                + ",'ready':" + ready + ",'labels':{'fleetgate.agent':'" + Bodies.AGENT + "'}}";
    }

    private static JsonNode status(String containers, String services, boolean engine) {
        return Bodies.json("{'containers':{'engine':{'available':" + engine + ",'version':'20.10.24','error':"
                + (engine ? "null" : "'Cannot connect to the Docker daemon'") + "},'containers':[" + containers
                + ",{'id':'other','name':'postgres','state':'running','serviceId':null}"
                + ",{'id':'theirs','name':'fg-shop-0-ffffff','state':'running','serviceId':'" + SID + "','replica':0,"
                + "'hostPort':19801,'ready':true,'labels':{'fleetgate.agent':'" + Bodies.AGENT2 + "'}}"
                + "],'services':[" + services + "]}}");
    }

    @Test
    void managedReplicasBySlotAndUnmanagedOrOtherAgentsContainersLeftOut() {
        reports.handleEvent(new Event(
                Topics.AGENT_REPORT,
                Map.of(
                        "agentId",
                        Bodies.AGENT,
                        "status",
                        status(
                                container("c1", 1, 19702, "running", false) + ","
                                        + container("c0", 0, 19701, "running", true),
                                "{'serviceId':'" + SID
                                        + "','desired':2,'running':2,'ready':1,'state':'SCALING','error':null}",
                                true))));
        List<ContainerReports.Replica> r = reports.replicas(SID, List.of(Bodies.AGENT, Bodies.AGENT2));
        assertEquals(
                List.of(
                        new ContainerReports.Replica(
                                Bodies.AGENT,
                                "c0",
                                "fg-shop-0-abc123",
                                0,
                                "running",
                                "healthy",
                                "127.0.0.1",
                                19701,
                                true),
                        new ContainerReports.Replica(
                                Bodies.AGENT,
                                "c1",
                                "fg-shop-1-abc123",
                                1,
                                "running",
                                "healthy",
                                "127.0.0.1",
                                19702,
                                false)),
                r);
        assertEquals(new ContainerReports.Summary(2, 2, 1, "SCALING", null), reports.summary(Bodies.AGENT, SID, 2));
        assertEquals(
                new ContainerReports.Summary(3, 2, 1, "SCALING", null),
                reports.summary(Bodies.AGENT, SID, 3),
                "the agent still works towards an older count");
        assertEquals(
                new ContainerReports.Summary(2, 0, 0, "PENDING", null),
                reports.summary(Bodies.AGENT2, SID, 2),
                "nothing reported yet");
    }

    @Test
    void aNewReportReplacesTheLastAndAFailedEngineIsFailed() {
        reports.report(
                Bodies.AGENT,
                status(container("c0", 0, 19701, "running", true), "", true).get("containers"));
        reports.report(
                Bodies.AGENT,
                status(container("c9", 0, null, "exited", false), "", false).get("containers"));
        List<ContainerReports.Replica> r = reports.replicas(SID, List.of(Bodies.AGENT));
        assertEquals(1, r.size());
        assertEquals("c9", r.get(0).containerId());
        assertEquals(null, r.get(0).host(), "no port, no address");
        ContainerReports.Summary s = reports.summary(Bodies.AGENT, SID, 1);
        assertEquals("FAILED", s.state());
        assertEquals("Cannot connect to the Docker daemon", s.error());
        reports.report(
                Bodies.AGENT,
                Bodies.json(
                        "{'engine':{'available':true},'containers':[],'services':[{'serviceId':'" + SID
                                + "','desired':1,'running':0,'ready':0,'state':'FAILED','error':'image web:1 not found on this host'}]}"));
        assertEquals(
                new ContainerReports.Summary(1, 0, 0, "FAILED", "image web:1 not found on this host"),
                reports.summary(Bodies.AGENT, SID, 1));
    }

    @Test
    void theServiceStatusCarriesReplicasAndPerAgentContainerStates() {
        ServiceStore store = mock(ServiceStore.class);
        DesiredStateService desired = mock(DesiredStateService.class);
        ObjectNode b = Bodies.json("{'agentIds':['" + Bodies.AGENT + "','" + Bodies.AGENT2 + "'],"
                + "'containers':{'image':'web:1','replicas':1}}");
        StoredService shop = SpecBuilderTest.service("shop", 2, b);
        String sid = shop.id().toString();
        when(store.get(shop.id())).thenReturn(Optional.of(shop));
        when(store.list()).thenReturn(List.of(shop));
        when(desired.recompute(ProxySpec.SECTION)).thenReturn(Map.of(Bodies.AGENT, 3L, Bodies.AGENT2, 3L));
        when(desired.state(anyString())).thenReturn(Map.of(ProxySpec.SECTION, new SectionState(3, 3, 0, null)));
        reports.report(
                Bodies.AGENT,
                Bodies.json("{'engine':{'available':true},'containers':[{'id':'c0','name':'fg-shop-0-a',"
                        + "'state':'running','health':'none','serviceId':'" + sid
                        + "','replica':0,'hostPort':19701,'ready':true}],"
                        + "'services':[{'serviceId':'" + sid
                        + "','desired':1,'running':1,'ready':1,'state':'OK','error':null}]}"));
        ServiceStatus.View v = new ServiceStatus(store, desired, new TargetHealth(), reports).status(shop.id());
        assertEquals(
                new ContainerReports.Summary(1, 1, 1, "OK", null),
                v.agents().get(0).containers());
        assertEquals("APPLIED", v.agents().get(0).state());
        assertEquals(
                new ContainerReports.Summary(1, 0, 0, "PENDING", null),
                v.agents().get(1).containers());
        assertEquals(1, v.replicas().size());
        assertEquals(19701, v.replicas().get(0).port());
        JsonNode json = Json.MAPPER.valueToTree(v);
        assertEquals(List.of("revision", "health", "agents", "targets", "replicas", "tls"), names(json));
        assertEquals("DEGRADED", v.health(), "1 of the 2 desired replicas is ready");
        assertEquals(
                List.of("agentId", "appliedRevision", "state", "error", "containers", "applyMode", "appliedAt"),
                names(json.get("agents").get(0)));
        assertEquals(
                List.of("agentId", "containerId", "name", "replica", "state", "health", "host", "port", "ready"),
                names(json.get("replicas").get(0)));
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
