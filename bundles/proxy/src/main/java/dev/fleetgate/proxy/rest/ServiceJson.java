package dev.fleetgate.proxy.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.proxy.internal.Json;
import dev.fleetgate.proxy.internal.StoredService;

/** The REST shape of a service: id, name, revision, the configuration, then the times. */
final class ServiceJson {
    private ServiceJson() {
    }

    static ObjectNode of(StoredService s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", s.id().toString());
        n.put("name", s.name());
        n.put("revision", s.revision());
        JsonNode config = Json.MAPPER.valueToTree(s.config());
        config.fields().forEachRemaining(e -> {
            if (!n.has(e.getKey())) {
                n.set(e.getKey(), e.getValue());
            }
        });
        // secret variables are write-only: every read shows only that they are set
        JsonNode secrets = n.path("containers").path("secretEnv");
        if (secrets.isObject()) {
            ObjectNode masked = Json.MAPPER.createObjectNode();
            secrets.fieldNames().forEachRemaining(name -> masked.putObject(name).put("set", true));
            ((ObjectNode) n.get("containers")).set("secretEnv", masked);
        }
        n.put("createdAt", s.createdAt().toString());
        n.put("updatedAt", s.updatedAt().toString());
        return n;
    }
}
