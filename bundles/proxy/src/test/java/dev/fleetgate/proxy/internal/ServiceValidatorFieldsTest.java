package dev.fleetgate.proxy.internal;

import static dev.fleetgate.proxy.internal.ValidatorAssertions.invalid;
import static dev.fleetgate.proxy.internal.ValidatorAssertions.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

class ServiceValidatorFieldsTest {

    private static ObjectNode target(ObjectNode body) {
        return (ObjectNode) body.get("upstream").get("targets").get(0);
    }

    private static ObjectNode health(ObjectNode body) {
        return (ObjectNode) body.get("upstream").get("healthCheck");
    }

    @Test
    void domainsAreNormalisedAndDeduplicated() {
        ObjectNode b = Bodies.minimal();
        b.putArray("domains").add("Bücher.Example").add("*.Shop.Test");
        assertEquals(List.of("xn--bcher-kva.example", "*.shop.test"), valid(b).domains());
        b.putArray("domains").add("a.test").add("A.TEST");
        invalid(b, "domains[1]");
        b.putArray("domains").add("bücher.example").add("xn--bcher-kva.example");
        invalid(b, "domains[1]");
        b.putArray("domains").add("a.*.test");
        invalid(b, "domains[0]");
        b.putArray("domains").add(5);
        invalid(b, "domains[0]");
    }

    @Test
    void agentIdsMustExistOnce() {
        ObjectNode b = Bodies.minimal();
        b.putArray("agentIds").add(Bodies.AGENT).add(Bodies.AGENT2);
        assertEquals(List.of(Bodies.AGENT, Bodies.AGENT2), valid(b).agentIds());
        b.putArray("agentIds").add("0b7c5a1e-2f0a-4d43-9a57-000000000000");
        invalid(b, "agentIds[0]");
        b.putArray("agentIds").add(Bodies.AGENT).add(Bodies.AGENT);
        invalid(b, "agentIds[1]");
        b.putArray("agentIds").add("../x");
        invalid(b, "agentIds[0]");
        b.putArray("agentIds");
        assertEquals(List.of(), valid(b).agentIds());
        b.remove("agentIds");
        assertEquals(List.of(), valid(b).agentIds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "[::1]", "2001:db8::1", "localhost", "app-1.internal", "web"})
    void validHosts(String host) {
        ObjectNode b = Bodies.minimal();
        target(b).put("host", host);
        assertEquals(
                host.replace("[", "").replace("]", ""),
                valid(b).upstream().targets().get(0).host());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "169.254.169.254",
                "169.254.0.1",
                "fe80::1",
                "[fe80::a:b]",
                "::ffff:169.254.169.254",
                "fd00:ec2::254",
                "100.100.100.200",
                "metadata.google.internal",
                "METADATA"
            })
    void linkLocalAndMetadataTargetsAreRefusedEvenWhenUnsafeTargetsAreAllowed(String host) {
        ObjectNode b = Bodies.minimal();
        target(b).put("host", host);
        invalid(b, "upstream.targets[0]");
        b.put("allowUnsafeTargets", true);
        invalid(b, "upstream.targets[0]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1:18081",
                "127.0.0.1:8101",
                "127.0.0.2:8080",
                "localhost:5432",
                "::1:2375",
                "0.0.0.0:8443",
                "[::1]:2376"
            })
    void theAgentsOwnPortsOnItsOwnHostAreReservedUnlessAllowed(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        ObjectNode b = Bodies.minimal();
        target(b)
                .put("host", hostPort.substring(0, colon))
                .put("port", Integer.parseInt(hostPort.substring(colon + 1)));
        invalid(b, "upstream.targets[0]");
        b.put("allowUnsafeTargets", true);
        assertTrue(valid(b).allowUnsafeTargets());
    }

    @Test
    void otherLoopbackPortsAndReservedPortsElsewhereStayAllowed() {
        ObjectNode b = Bodies.minimal();
        target(b).put("host", "127.0.0.1").put("port", 20001);
        assertEquals(20001, valid(b).upstream().targets().get(0).port());
        target(b).put("host", "10.0.0.5").put("port", 8080);
        assertEquals(8080, valid(b).upstream().targets().get(0).port());
        org.junit.jupiter.api.Assertions.assertFalse(valid(b).allowUnsafeTargets());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "256.0.0.1",
                "1.2.3.4.5",
                "[127.0.0.1]",
                "[x]",
                "::1%eth0",
                "a_b",
                "-a",
                "a b",
                "bücher.de",
                "http://a",
                "a:80",
                "a;b",
                "a}"
            })
    void invalidHosts(String host) {
        ObjectNode b = Bodies.minimal();
        target(b).put("host", host);
        invalid(b, "upstream.targets[0].host");
    }

    @Test
    void portAndWeightRanges() {
        ObjectNode b = Bodies.minimal();
        target(b).put("port", 1).put("weight", 1);
        valid(b);
        target(b).put("port", 65535).put("weight", 100);
        valid(b);
        for (Object bad : new Object[] {0, 65536, -1, "80", 80.5}) {
            ObjectNode c = Bodies.minimal();
            target(c).set("port", Json.MAPPER.valueToTree(bad));
            invalid(c, "upstream.targets[0].port");
        }
        for (int bad : new int[] {0, 101}) {
            ObjectNode c = Bodies.minimal();
            target(c).put("weight", bad);
            invalid(c, "upstream.targets[0].weight");
        }
        ObjectNode c = Bodies.minimal();
        target(c).put("maxFails", 101).put("failTimeoutSeconds", 0);
        invalid(c, "upstream.targets[0].maxFails");
        invalid(c, "upstream.targets[0].failTimeoutSeconds");
    }

    @Test
    void secondTargetIsNamedByIndex() {
        ObjectNode b = Bodies.minimal();
        ((com.fasterxml.jackson.databind.node.ArrayNode) b.get("upstream").get("targets"))
                .addObject()
                .put("host", "127.0.0.1")
                .put("port", 0);
        invalid(b, "upstream.targets[1].port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/health", "/a/b-c_d.e~f", "/h?x=1&y=2", "/%20x", "/a:b@c!*(),+="})
    void validHealthPaths(String path) {
        ObjectNode b = Bodies.minimal();
        health(b).put("path", path);
        valid(b);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", "health", "/a b", "/a;b", "/a{b", "/a}b", "/$host", "/a\"b", "/a'b", "/a\\b", "/a\r\nb", "/a#b",
                "/%zz", "/a\tb", "/a<b"
            })
    void invalidHealthPaths(String path) {
        ObjectNode b = Bodies.minimal();
        health(b).put("path", path);
        invalid(b, "upstream.healthCheck.path");
    }

    @Test
    void healthCheckRanges() {
        ObjectNode b = Bodies.minimal();
        health(b).put("intervalSeconds", 3600).put("fall", 10).put("rise", 1).put("timeoutSeconds", 1);
        valid(b);
        health(b).put("intervalSeconds", 3601).put("fall", 0).put("rise", 11).put("timeoutSeconds", 0);
        for (String f : List.of("intervalSeconds", "fall", "rise", "timeoutSeconds")) {
            invalid(b, "upstream.healthCheck." + f);
        }
        health(b).removeAll();
        invalid(b, "upstream.healthCheck.path");
    }

    @Test
    void lbMethodsAndKeepalive() {
        for (String m : List.of("round_robin", "least_conn", "ip_hash")) {
            ObjectNode b = Bodies.minimal();
            ((ObjectNode) b.get("upstream")).put("lbMethod", m);
            assertEquals(m, valid(b).upstream().lbMethod());
        }
        ObjectNode b = Bodies.minimal();
        ((ObjectNode) b.get("upstream")).put("lbMethod", "ROUND_ROBIN").put("keepalive", 1025);
        invalid(b, "upstream.lbMethod");
        invalid(b, "upstream.keepalive");
    }

    @Test
    void timeoutsRange() {
        ObjectNode b = Bodies.minimal();
        b.putObject("timeouts").put("connectSeconds", 1).put("readSeconds", 3600);
        assertEquals(new ServiceConfig.Timeouts(1, 3600, 60), valid(b).timeouts());
        b.putObject("timeouts").put("connectSeconds", 0).put("sendSeconds", 3601);
        invalid(b, "timeouts.connectSeconds");
        invalid(b, "timeouts.sendSeconds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "999999", "10k", "10m", "1g", "10M"})
    void validMaxBodySizes(String size) {
        assertEquals(
                size.toLowerCase(),
                valid(Bodies.minimal().put("maxBodySize", size)).maxBodySize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1000000", "10mb", "m", "-1", "1.5m", "10 m", "10t", "10m;"})
    void invalidMaxBodySizes(String size) {
        invalid(Bodies.minimal().put("maxBodySize", size), "maxBodySize");
    }

    @Test
    void headerNamesAndValues() {
        ObjectNode b = Bodies.minimal();
        b.putObject("requestHeaders").put("X-A", "v 1,2=3").put("X_b.c~d", "");
        b.putObject("responseHeaders").put("Cache-Control", "no-store");
        valid(b);
        for (String badName : List.of("X A", "X:A", "X;A", "X{", "X\"", "X$", "X'", "", "X\r\nY", "Ä")) {
            ObjectNode c = Bodies.minimal();
            c.putObject("responseHeaders").put(badName, "v");
            invalid(c, "responseHeaders");
        }
        for (String badValue : List.of("a;b", "a{", "a}", "a\"", "a'", "a\\", "$host", "a\r\nb", "a\nb", "é", "a\tb")) {
            ObjectNode c = Bodies.minimal();
            c.putObject("requestHeaders").put("X-A", badValue);
            invalid(c, "requestHeaders.X-A");
        }
        ObjectNode c = Bodies.minimal();
        c.putObject("requestHeaders").put("X-A", "1").put("x-a", "2").put("Transfer-Encoding", "chunked");
        invalid(c, "requestHeaders.x-a");
        invalid(c, "requestHeaders.Transfer-Encoding");
        c.putObject("requestHeaders").put("X-A", 1);
        invalid(c, "requestHeaders.X-A");
    }
}
