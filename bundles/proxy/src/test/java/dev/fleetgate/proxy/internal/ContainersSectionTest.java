package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.proxy.ProxySpec;

class ContainersSectionTest {

    private static StoredService containerService(String name, long revision, String containers) {
        ObjectNode b = Bodies.json("{'agentIds':['" + Bodies.AGENT + "'],'containers':" + containers + "}");
        return SpecBuilderTest.service(name, revision, b);
    }

    @Test
    void theContractShapeForAPlacedService() throws Exception {
        ObjectNode b = Bodies.json("{'agentIds':['" + Bodies.AGENT + "'],'upstream':{'healthCheck':{'path':'/health'}},"
                + "'containers':{'image':'fleetgate/demo:latest','command':['/bin/httpd','-f','-p','127.0.0.1:${PORT}'],"
                + "'env':{'Z':'1','GREETING':'hi'},'port':8080,'replicas':3,'cpus':0.5,'memory':'128m',"
                + "'restartPolicy':'on-failure'}}");
        StoredService shop = SpecBuilderTest.service("shop", 7, b);
        JsonNode body = Json.MAPPER.readTree(
                ContainersSection.build(Bodies.AGENT, List.of(shop)).toString());
        assertEquals(
                Bodies.json(
                        "{'services':[{'serviceId':'" + shop.id() + "','serviceName':'shop','serviceRevision':7,"
                                + "'image':'fleetgate/demo:latest','command':['/bin/httpd','-f','-p','127.0.0.1:${PORT}'],"
                                + "'env':{'GREETING':'hi','Z':'1'},'port':8080,'replicas':3,'cpus':0.5,'memoryBytes':134217728,"
                                + "'restartPolicy':'on-failure','network':'host','user':null,'readOnlyRootFilesystem':false,'capAdd':[],"
                                + "'pidsLimit':null,'healthCheck':{'path':'/health','intervalSeconds':5,'timeoutSeconds':2,'fall':3,'rise':2}}]}"),
                body);
        assertEquals("{\"services\":[{\"serviceId\"", body.toString().substring(0, 25), "field order is fixed");
    }

    @Test
    void defaultsAreExplicitAndAStringCommandRunsThroughTheShell() {
        StoredService s = containerService("web", 1, "{'image':'web:1','command':'httpd -f -p 127.0.0.1:${PORT}'}");
        JsonNode svc = ContainersSection.build(Bodies.AGENT, List.of(s))
                .get("services")
                .get(0);
        assertEquals(
                Bodies.json("{'c':['/bin/sh','-c','httpd -f -p 127.0.0.1:${PORT}']}")
                        .get("c"),
                svc.get("command"));
        assertTrue(svc.get("cpus").isNull());
        assertTrue(svc.get("memoryBytes").isNull());
        assertTrue(svc.get("port").isNull());
        assertTrue(svc.get("healthCheck").isNull());
        assertEquals("no", svc.get("restartPolicy").asText());
        StoredService noCommand = containerService("web2", 1, "{'image':'web:1'}");
        assertTrue(
                ContainersSection.build(Bodies.AGENT, List.of(noCommand))
                        .get("services")
                        .get(0)
                        .get("command")
                        .isNull(),
                "null = the image's default");
    }

    @Test
    void onlyContainerServicesPlacedOnTheAgentSortedByName() {
        StoredService b = containerService("bravo", 1, "{'image':'b:1'}");
        StoredService a = containerService("alpha", 1, "{'image':'a:1'}");
        StoredService staticOnly = SpecBuilderTest.service("static", 1, Bodies.minimal());
        ObjectNode elsewhere = Bodies.json("{'agentIds':['" + Bodies.AGENT2 + "'],'containers':{'image':'c:1'}}");
        StoredService other = SpecBuilderTest.service("charlie", 1, elsewhere);
        JsonNode body = ContainersSection.build(Bodies.AGENT, List.of(b, staticOnly, other, a));
        assertEquals(List.of("alpha", "bravo"), body.get("services").findValuesAsText("serviceName"));
        assertEquals(body, ContainersSection.build(Bodies.AGENT, List.of(a, other, staticOnly, b)), "deterministic");
        assertEquals(
                Bodies.json("{'services':[]}"),
                ContainersSection.build("no-such-agent", List.of(a, b)),
                "an agent without container services gets an empty list, so it stops what it ran");
    }

    @Test
    void aContainerOnlyServiceStillGetsItsSiteAndAnEmptyUpstreamInTheProxySpec() {
        StoredService s = containerService("web", 1, "{'image':'web:1','replicas':3}");
        ProxySpec spec = new SpecBuilder(80)
                .build(
                        SpecBuilderTest.agent(Bodies.AGENT, AgentInfo.Role.HOST, null),
                        List.of(s),
                        id -> java.util.Optional.empty());
        assertEquals(1, spec.sites().size());
        assertEquals(SpecBuilder.upstreamName(s), spec.upstreams().get(0).name());
        assertEquals(s.id().toString(), spec.upstreams().get(0).serviceId(), "the agent adds the replicas here");
        assertTrue(spec.upstreams().get(0).targets().isEmpty());
    }

    @Test
    void theContributorComputesEveryAgentFromOneRead() {
        ServiceStore store = mock(ServiceStore.class);
        when(store.list()).thenReturn(List.of(containerService("alpha", 2, "{'image':'a:1','replicas':2}")));
        ContainersStateContributor c = new ContainersStateContributor(store);
        AgentInfo one = SpecBuilderTest.agent(Bodies.AGENT, AgentInfo.Role.HOST, null);
        AgentInfo two = SpecBuilderTest.agent(Bodies.AGENT2, AgentInfo.Role.HOST, null);
        Map<String, JsonNode> all = c.computeAll(List.of(one, two));
        assertEquals(
                2, all.get(Bodies.AGENT).get("services").get(0).get("replicas").asInt());
        assertEquals(0, all.get(Bodies.AGENT2).get("services").size());
        assertEquals(all.get(Bodies.AGENT), c.compute(one));
    }
}
