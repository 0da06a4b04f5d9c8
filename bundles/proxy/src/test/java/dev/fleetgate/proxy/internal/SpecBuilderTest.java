package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.proxy.Location;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.Site;
import dev.fleetgate.proxy.Target;
import dev.fleetgate.proxy.Upstream;

class SpecBuilderTest {
    private static final AgentInfo HOST1 = agent(Bodies.AGENT, AgentInfo.Role.HOST, "10.0.0.1");
    private static final AgentInfo HOST2 = agent(Bodies.AGENT2, AgentInfo.Role.HOST, "2001:db8::2");
    private static final AgentInfo EDGE = agent("edge-1", AgentInfo.Role.EDGE, "127.0.0.1");
    private final SpecBuilder builder = new SpecBuilder(80);

    static AgentInfo agent(String id, AgentInfo.Role role, String address) {
        return new AgentInfo(id, id, id + ".lan", role, AgentInfo.Status.ONLINE, null, "0.1.0", address);
    }

    static StoredService service(String name, long revision, ObjectNode body) {
        body.put("name", name);
        body.putArray("domains").add(name + ".test");
        ServiceValidator.Result r = new ServiceValidator(id -> true).validate(body);
        assertTrue(r.ok(), () -> r.errors().toString());
        ServiceConfig c = r.config();
        UUID id = UUID.nameUUIDFromBytes(name.getBytes());
        return new StoredService(id, revision, c, Instant.EPOCH, Instant.EPOCH);
    }

    private static Optional<AgentInfo> lookup(String id) {
        return List.of(HOST1, HOST2, EDGE).stream()
                .filter(a -> a.id().equals(id))
                .findFirst();
    }

    @Test
    void hostGetsOnlyItsServicesSortedByName() {
        ObjectNode onBoth = Bodies.full();
        onBoth.putArray("agentIds").add(Bodies.AGENT).add(Bodies.AGENT2);
        ObjectNode onTwo = Bodies.minimal();
        onTwo.putArray("agentIds").add(Bodies.AGENT2);
        List<StoredService> all =
                List.of(service("zeta", 1, onBoth), service("alpha", 1, Bodies.minimal()), service("mid", 1, onTwo));
        ProxySpec spec = builder.build(HOST1, all, SpecBuilderTest::lookup);
        assertEquals(
                List.of("alpha", "zeta"),
                spec.sites().stream().map(Site::serviceName).toList());
        assertEquals(2, spec.upstreams().size());

        StoredService zeta = all.get(0);
        Site site = spec.site(zeta.id().toString()).orElseThrow();
        assertEquals(List.of("zeta.test"), site.serverNames());
        assertEquals(List.of(Location.proxy("/", "svc-" + zeta.id())), site.locations());
        assertEquals(20L * 1024 * 1024, site.maxBodyBytes());
        assertEquals(new dev.fleetgate.proxy.Timeouts(3, 30, 20), site.timeouts());
        assertEquals(Map.of("X-Env", "prod"), site.requestHeaders());
        assertTrue(site.websockets());
        assertNull(site.tls());
        Upstream u = spec.upstream("svc-" + zeta.id()).orElseThrow();
        assertEquals(Upstream.LbMethod.LEAST_CONN, u.lbMethod());
        assertEquals(zeta.id().toString(), u.serviceId());
        assertEquals(
                List.of(
                        new Target("127.0.0.1", 9001, 2, 3, 10, false),
                        new Target("app.internal", 9002, 1, null, null, false)),
                u.targets());
        assertEquals("/health?deep=1", u.healthCheck().path());

        assertEquals(
                List.of("mid", "zeta"),
                builder.build(HOST2, all, SpecBuilderTest::lookup).sites().stream()
                        .map(Site::serviceName)
                        .toList());
    }

    @Test
    void sameInputSameJsonWhateverTheOrder() {
        List<StoredService> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ObjectNode b = Bodies.full();
            b.putObject("requestHeaders").put("X-B", "2").put("X-A", "1").put("X-C", "3");
            all.add(service("svc" + i, i + 1, b));
        }
        String first = Json.MAPPER
                .valueToTree(builder.build(HOST1, all, SpecBuilderTest::lookup))
                .toString();
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(all);
            assertEquals(
                    first,
                    Json.MAPPER
                            .valueToTree(builder.build(HOST1, all, SpecBuilderTest::lookup))
                            .toString());
        }
        assertTrue(first.indexOf("\"X-A\"") < first.indexOf("\"X-B\""), "headers sorted by name");
        all.set(0, service(all.get(0).name(), 99, Bodies.minimal()));
        assertNotEquals(
                first,
                Json.MAPPER
                        .valueToTree(builder.build(HOST1, all, SpecBuilderTest::lookup))
                        .toString());
    }

    @Test
    void emptySpecIsAnObjectWithEmptyLists() {
        assertEquals(
                "{\"sites\":[],\"upstreams\":[],\"accessRules\":[],\"extensions\":{}}",
                Json.MAPPER
                        .valueToTree(builder.build(HOST1, List.of(), SpecBuilderTest::lookup))
                        .toString());
    }

    @Test
    void edgeRoutesEveryServedDomainToItsAgentsOnPort80() {
        ObjectNode both = Bodies.full();
        both.putArray("agentIds").add(Bodies.AGENT).add(Bodies.AGENT2);
        ObjectNode nowhere = Bodies.minimal();
        nowhere.putArray("agentIds");
        ObjectNode onEdge = Bodies.minimal();
        onEdge.putArray("agentIds").add("edge-1");
        StoredService shop = service("shop", 1, both);
        List<StoredService> all = List.of(shop, service("idle", 1, nowhere), service("local", 1, onEdge));
        ProxySpec spec = new SpecBuilder(8080).build(EDGE, all, SpecBuilderTest::lookup);

        assertEquals(
                List.of("local", "shop"),
                spec.sites().stream().map(Site::serviceName).toList());
        Site site = spec.site(shop.id().toString()).orElseThrow();
        assertEquals(List.of("shop.test"), site.serverNames());
        assertEquals(Map.of(), site.requestHeaders(), "the host agent adds the headers");
        assertTrue(site.websockets());
        Upstream u = spec.upstream("svc-" + shop.id()).orElseThrow();
        assertEquals(List.of(Target.of("10.0.0.1", 8080), Target.of("2001:db8::2", 8080)), u.targets());
        assertNull(u.healthCheck());
        Upstream local = spec.upstreams().get(0);
        assertEquals(
                List.of(new Target("127.0.0.1", 9001, 1, null, null, false)),
                local.targets(),
                "a service placed on the edge itself is served directly");
    }

    @Test
    void edgeSkipsUnsafeOrMissingAgentAddresses() {
        AgentInfo evil = agent("evil", AgentInfo.Role.HOST, "1.2.3.4; } server {");
        AgentInfo silent = agent("silent", AgentInfo.Role.HOST, null);
        ObjectNode b = Bodies.minimal();
        StoredService s = service("shop", 1, b);
        StoredService placed = new StoredService(
                s.id(),
                1,
                new ServiceConfig(
                        s.config().name(),
                        s.config().domains(),
                        List.of("evil", "silent", Bodies.AGENT),
                        s.config().upstream(),
                        s.config().timeouts(),
                        s.config().maxBodySize(),
                        Map.of(),
                        Map.of(),
                        false,
                        null,
                        false),
                Instant.EPOCH,
                Instant.EPOCH);
        ProxySpec spec = builder.build(EDGE, List.of(placed), id -> List.of(evil, silent, HOST1).stream()
                .filter(a -> a.id().equals(id))
                .findFirst());
        assertEquals(List.of(Target.of("10.0.0.1", 80)), spec.upstreams().get(0).targets());
    }
}
