package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;

/** The peer payloads Lua gets. */
class PeerTableTest {

    @Test
    void payloadListsEveryPeerWithItsRotationDeterministically() throws Exception {
        PeerTable table = new PeerTable();
        Specs.Service s = Specs.service("s1", "a.test", 9001, 9002).lb("least_conn");
        ((ObjectNode) s.upstream.get("targets").get(1))
                .put("weight", 5)
                .put("backup", true)
                .put("maxFails", 2)
                .put("failTimeoutSeconds", 30);
        table.upstreams(Spec.parse(Specs.spec(s, Specs.service("s2", "b.test"))).upstreams());
        Map<String, String> payload = table.payload(table.members(), k -> k.endsWith("9002") ? "down" : "none");
        assertEquals(List.of("svc-s1", "svc-s2"), List.copyOf(payload.keySet()));
        assertEquals(
                "{\"serviceId\":\"s1\",\"lbMethod\":\"least_conn\",\"peers\":["
                        + "{\"host\":\"127.0.0.1\",\"port\":9001,\"weight\":1,\"backup\":false,\"up\":true,\"health\":\"none\",\"target\":\"127.0.0.1:9001\"},"
                        + "{\"host\":\"127.0.0.1\",\"port\":9002,\"weight\":5,\"backup\":true,\"up\":false,\"health\":\"down\",\"target\":\"127.0.0.1:9002\","
                        + "\"maxFails\":2,\"failTimeout\":30}]}",
                payload.get("svc-s1"));
        assertEquals("{\"serviceId\":\"s2\",\"lbMethod\":\"round_robin\",\"peers\":[]}", payload.get("svc-s2"));
        assertEquals(payload, table.payload(table.members(), k -> k.endsWith("9002") ? "down" : "none"));
    }

    @Test
    void endpointsJoinTheUpstreamOfTheirServiceOnce() throws Exception {
        PeerTable table = new PeerTable();
        table.upstreams(
                Spec.parse(Specs.spec(Specs.service("s1", "a.test", 9001))).upstreams());
        table.endpoints(Map.of(
                "s1",
                List.of(
                        new Endpoint("c1", "127.0.0.1", 9001, 1),
                        new Endpoint("c2", "::1", 9005, 3),
                        new Endpoint("c3", "bad host;", 9006, 1)),
                "other",
                List.of(new Endpoint("c4", "127.0.0.1", 9009, 1))));
        List<PeerTable.Member> members = table.members();
        assertEquals(2, members.size(), members.toString());
        JsonNode peers = Spec.JSON
                .readTree(table.payload(members, k -> "none").get("svc-s1"))
                .path("peers");
        assertEquals("[0:0:0:0:0:0:0:1]", peers.get(1).path("host").asText(), "IPv6 in brackets for the balancer");
        assertEquals(3, peers.get(1).path("weight").asInt());
    }

    @Test
    void hostNamesAreResolvedToEveryAddress() {
        List<String> addresses = PeerTable.addresses("localhost");
        assertTrue(addresses.contains("127.0.0.1"), addresses.toString());
        assertEquals(List.of(), PeerTable.addresses("no-such-host.invalid"));
    }
}
