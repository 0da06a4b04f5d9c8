package dev.fleetgate.proxy.internal;

import static dev.fleetgate.proxy.internal.ValidatorAssertions.invalid;
import static dev.fleetgate.proxy.internal.ValidatorAssertions.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The container limits and modes: cpus, memory, restart policy, network, port, replicas. */
class ContainersValidatorTest {
    private static final String BASE = "{'name':'a','domains':['a.test'],'containers':{'image':'web:1'";

    private static JsonNode body(String containerFields) {
        return Bodies.json(BASE + (containerFields.isEmpty() ? "" : "," + containerFields) + "}}");
    }

    @Test
    void defaultsAreNoLimitsHostNetworkAndRestartNo() {
        ServiceConfig.Containers c = valid(body("")).containers();
        assertNull(c.cpus());
        assertNull(c.memoryBytes());
        assertEquals("no", c.restartPolicy());
        assertEquals("host", c.network());
        assertEquals(1, c.replicas());
        assertNull(c.port());
    }

    @ParameterizedTest
    @CsvSource(
            quoteCharacter = '"',
            value = {
                "'256m',268435456",
                "'256M',268435456",
                "'1g',1073741824",
                "'6144k',6291456",
                "'6291456',6291456",
                "6291456,6291456",
                "'1024g',1099511627776",
                "'10485760b',10485760"
            })
    void memoryTakesSizesWithUnitsOrBytes(String memory, long bytes) {
        assertEquals(bytes, valid(body("'memory':" + memory)).containers().memoryBytes());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "'5m'",
                "'1025g'",
                "'256mb'",
                "'-1'",
                "'1.5g'",
                "'m'",
                "''",
                "1",
                "true",
                "'99999999999999g'",
                "'256 m'",
                "[]"
            })
    void badMemoryIsRefused(String memory) {
        invalid(body("'memory':" + memory), "containers.memory");
    }

    @Test
    void memoryBytesAsGetAnswersItIsAccepted() {
        assertEquals(
                268435456L, valid(body("'memoryBytes':268435456")).containers().memoryBytes());
        assertEquals(
                268435456L,
                valid(body("'memory':'256m','memoryBytes':268435456"))
                        .containers()
                        .memoryBytes());
        invalid(body("'memory':'512m','memoryBytes':268435456"), "containers.memory");
        invalid(body("'memoryBytes':'x'"), "containers.memoryBytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.01", "0.5", "1", "2.25", "64"})
    void cpusFromAHundredthToSixtyFour(String cpus) {
        assertEquals(
                Double.parseDouble(cpus),
                valid(body("'cpus':" + cpus)).containers().cpus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.009", "64.01", "-1", "'1'", "true", "1e400"})
    void badCpusAreRefused(String cpus) {
        invalid(body("'cpus':" + cpus), "containers.cpus");
    }

    @ParameterizedTest
    @ValueSource(strings = {"no", "on-failure", "always", "unless-stopped"})
    void restartPolicies(String policy) {
        assertEquals(
                policy,
                valid(body("'restartPolicy':'" + policy + "'")).containers().restartPolicy());
    }

    @Test
    void badModesAreRefused() {
        invalid(body("'restartPolicy':'sometimes'"), "containers.restartPolicy");
        invalid(body("'restartPolicy':1"), "containers.restartPolicy");
        invalid(body("'network':'none'"), "containers.network");
        invalid(body("'network':'host; rm -rf /'"), "containers.network");
    }

    @Test
    void bridgeNeedsThePortTheContainerListensOn() {
        invalid(body("'network':'bridge'"), "containers.port");
        ServiceConfig.Containers c =
                valid(body("'network':'bridge','port':8080")).containers();
        assertEquals("bridge", c.network());
        assertEquals(8080, c.port());
        assertEquals(
                1,
                ValidatorAssertions.VALIDATOR
                        .validate(body("'network':'bridge','port':70000"))
                        .errors()
                        .size(),
                "a bad port is reported once");
    }

    @Test
    void replicasFromZeroToAHundred() {
        assertEquals(0, valid(body("'replicas':0")).containers().replicas());
        assertEquals(100, valid(body("'replicas':100")).containers().replicas());
        invalid(body("'replicas':-1"), "containers.replicas");
        invalid(body("'replicas':1.5"), "containers.replicas");
    }

    @Test
    void storedDocumentsWithoutTheNewFieldsReadAsDefaults() throws Exception {
        ServiceConfig.Containers c = Json.MAPPER.readValue(
                "{\"image\":\"web:1\",\"command\":null,\"env\":{},\"port\":null,\"replicas\":2}",
                ServiceConfig.Containers.class);
        assertEquals("no", c.restartPolicy());
        assertEquals("host", c.network());
        assertNull(c.cpus());
        assertEquals(2, c.replicas());
    }
}
