package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

import com.fasterxml.jackson.databind.node.TextNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.proxy.AccessRule;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ProxySpecContributor;
import dev.fleetgate.proxy.Tls;

class ContributorsTest {
    private static final AgentInfo AGENT = SpecBuilderTest.agent(Bodies.AGENT, AgentInfo.Role.HOST, "10.0.0.1");

    @Test
    void orderIsAscendingRankingThenNewerFirst() {
        Map<ContributorKey, String> m = new TreeMap<>();
        m.put(ContributorKey.of(Map.of(Constants.SERVICE_RANKING, 10, Constants.SERVICE_ID, 1L)), "high");
        m.put(ContributorKey.of(Map.of(Constants.SERVICE_ID, 2L)), "default-old");
        m.put(ContributorKey.of(Map.of(Constants.SERVICE_ID, 7L)), "default-new");
        m.put(ContributorKey.of(Map.of(Constants.SERVICE_RANKING, -5, Constants.SERVICE_ID, 9L)), "low");
        assertEquals(List.of("low", "default-new", "default-old", "high"), new ArrayList<>(m.values()));
    }

    @Test
    void contributorsRunInOrderEachSeeingThePrevious() {
        List<String> seen = new ArrayList<>();
        ProxySpecContributor a = (agent, spec) -> {
            seen.add("a:" + spec.extensions().keySet());
            return spec.withExtension("last", TextNode.valueOf("a"));
        };
        ProxySpecContributor b = (agent, spec) -> {
            seen.add("b:" + spec.extensions().keySet());
            return spec.withExtension("last", TextNode.valueOf("b"))
                    .withAccessRules(List.of(new AccessRule(AccessRule.Action.DENY, "203.0.113.0/24")));
        };
        ProxySpec out = SpecBuilder.contribute(AGENT, ProxySpec.EMPTY, List.of(a, b));
        assertEquals(List.of("a:[]", "b:[last]"), seen);
        assertEquals("b", out.extensions().get("last").asText());
        assertEquals(1, out.accessRules().size());
    }

    @Test
    void failingOrNullContributorIsSkipped() {
        ProxySpec base = new SpecBuilder(80)
                .build(
                        AGENT,
                        List.of(SpecBuilderTest.service("shop", 1, Bodies.minimal())),
                        id -> java.util.Optional.empty());
        ProxySpecContributor tls =
                (agent, spec) -> spec.mapSites(s -> s.withTls(new Tls("c1", "CERT", "KEY", true, null)));
        ProxySpecContributor boom = (agent, spec) -> {
            throw new IllegalStateException("boom");
        };
        ProxySpecContributor nothing = (agent, spec) -> null;
        ProxySpec out = SpecBuilder.contribute(AGENT, base, List.of(tls, boom, nothing));
        assertEquals("c1", out.sites().get(0).tls().certificateId());
        assertEquals(base.upstreams(), out.upstreams());
    }
}
