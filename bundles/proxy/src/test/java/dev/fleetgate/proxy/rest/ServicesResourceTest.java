package dev.fleetgate.proxy.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.proxy.internal.Json;
import dev.fleetgate.proxy.internal.ServiceConfig;
import dev.fleetgate.proxy.internal.StoredService;

class ServicesResourceTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "abc",
                "123e4567-e89b-12d3-a456-42661417400",
                "123e4567-e89b-12d3-a456-4266141740000",
                "123e4567-e89b-12d3-a456-42661417400g",
                "../etc",
                "123e4567e89b12d3a456426614174000"
            })
    void malformedIdsAre400(String id) {
        ApiException e = assertThrows(ApiException.class, () -> ServicesResource.id(id));
        assertEquals(400, e.status());
        assertEquals("id", e.errors().get(0).field());
    }

    @Test
    void idsAreCaseInsensitive() {
        assertEquals(
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                ServicesResource.id("123E4567-E89B-12D3-A456-426614174000"));
    }

    @Test
    void jsonShape() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        ServiceConfig c = new ServiceConfig(
                "shop",
                List.of("shop.test"),
                List.of(),
                new ServiceConfig.Upstream(
                        List.of(new ServiceConfig.Target("127.0.0.1", 9001, 1, null, null)), "round_robin", 32, null),
                ServiceConfig.Timeouts.DEFAULT,
                "10m",
                null,
                null,
                false,
                null,
                false);
        ObjectNode n = ServiceJson.of(new StoredService(id, 2, c, Instant.EPOCH, Instant.EPOCH));
        assertEquals(
                List.of(
                        "id",
                        "name",
                        "revision",
                        "domains",
                        "agentIds",
                        "upstream",
                        "timeouts",
                        "maxBodySize",
                        "requestHeaders",
                        "responseHeaders",
                        "websockets",
                        "containers",
                        "allowUnsafeTargets",
                        "tls",
                        "createdAt",
                        "updatedAt"),
                iterate(n));
        assertEquals(
                "{\"targets\":[{\"host\":\"127.0.0.1\",\"port\":9001,\"weight\":1,\"maxFails\":null,"
                        + "\"failTimeoutSeconds\":null}],\"lbMethod\":\"round_robin\",\"keepalive\":32,\"healthCheck\":null}",
                n.get("upstream").toString());
        assertEquals(2, n.get("revision").asLong());
        assertEquals("1970-01-01T00:00:00Z", n.get("createdAt").asText());
        assertEquals(n, Json.MAPPER.valueToTree(n));
    }

    private static List<String> iterate(ObjectNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void secretVariablesAreMaskedInEveryRead() {
        ServiceConfig.Containers c = new ServiceConfig.Containers(
                "fleetgate/demo:latest",
                null,
                java.util.Map.of("MODE", "prod"),
                null,
                1,
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                java.util.Map.of("DB_PASSWORD", "sealed:abc"));
        ServiceConfig config = new ServiceConfig(
                "shop",
                List.of("shop.test"),
                List.of(),
                new ServiceConfig.Upstream(List.of(), "round_robin", 32, null),
                ServiceConfig.Timeouts.DEFAULT,
                "10m",
                null,
                null,
                false,
                c,
                false);
        ObjectNode n = ServiceJson.of(new StoredService(UUID.randomUUID(), 1, config, Instant.EPOCH, Instant.EPOCH));
        assertEquals(
                "{\"DB_PASSWORD\":{\"set\":true}}",
                n.get("containers").get("secretEnv").toString());
        assertEquals("prod", n.get("containers").get("env").get("MODE").asText());
        org.junit.jupiter.api.Assertions.assertFalse(n.toString().contains("sealed:"), n.toString());
    }

    @Test
    void aMixedScriptDomainIsAcceptedWithAWarning() {
        // "pаypal" with a Cyrillic а (U+0430) beside Latin letters
        ServiceConfig c = new ServiceConfig(
                "pay",
                List.of("ok.test", "p\u0430ypal.test"),
                List.of(),
                new ServiceConfig.Upstream(List.of(), "round_robin", 32, null),
                ServiceConfig.Timeouts.DEFAULT,
                "10m",
                null,
                null,
                false,
                null,
                false);
        StoredService s = new StoredService(UUID.randomUUID(), 1, c, Instant.EPOCH, Instant.EPOCH);
        ObjectNode n = ServiceJson.written(s);
        assertEquals(1, n.get("warnings").size(), n.toString());
        assertEquals("domains[1]", n.get("warnings").get(0).get("field").asText());
        org.junit.jupiter.api.Assertions.assertTrue(
                n.get("warnings").get(0).get("message").asText().contains("Cyrillic"));
        org.junit.jupiter.api.Assertions.assertFalse(ServiceJson.of(s).has("warnings"), "reads carry no warnings");
        org.junit.jupiter.api.Assertions.assertFalse(ServiceJson.written(new StoredService(
                        UUID.randomUUID(),
                        1,
                        new ServiceConfig(
                                "ok",
                                List.of("ok.test", "xn--bcher-kva.test"),
                                List.of(),
                                c.upstream(),
                                ServiceConfig.Timeouts.DEFAULT,
                                "10m",
                                null,
                                null,
                                false,
                                null,
                                false),
                        Instant.EPOCH,
                        Instant.EPOCH))
                .has("warnings"));
    }
}
