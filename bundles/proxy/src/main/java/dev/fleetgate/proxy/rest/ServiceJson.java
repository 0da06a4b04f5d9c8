package dev.fleetgate.proxy.rest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.DomainNames;
import dev.fleetgate.proxy.internal.Json;
import dev.fleetgate.proxy.internal.ServiceConfig;
import dev.fleetgate.proxy.internal.ServiceRevision;
import dev.fleetgate.proxy.internal.StoredService;

/** The REST shape of a service: id, name, revision, the configuration, then the times. */
final class ServiceJson {
    private ServiceJson() {}

    static ObjectNode of(StoredService s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", s.id().toString());
        n.put("name", s.name());
        n.put("revision", s.revision());
        configInto(n, s.config());
        n.put("createdAt", s.createdAt().toString());
        n.put("updatedAt", s.updatedAt().toString());
        return n;
    }

    /** A history entry; with {@code config} (as a service shows it, without id and times) when it carries one. */
    static ObjectNode revision(ServiceRevision r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("revision", r.revision());
        n.put("changedAt", r.changedAt().toString());
        n.put("changedBy", r.changedBy());
        n.put("action", r.action());
        n.put("sourceRevision", r.sourceRevision());
        if (r.config() != null) {
            configInto(n.putObject("config"), r.config());
        }
        return n;
    }

    private static void configInto(ObjectNode n, ServiceConfig c) {
        JsonNode config = Json.MAPPER.valueToTree(c);
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
    }

    /**
     * The answer to a write: the service, plus {@code warnings} naming each domain whose labels mix
     * scripts (a possible look-alike of another domain). The domain is accepted; the caller is told.
     */
    static ObjectNode written(StoredService s) {
        ObjectNode n = of(s);
        List<String> domains = s.config().domains();
        ArrayNode warnings = Json.MAPPER.createArrayNode();
        for (int i = 0; i < domains.size(); i++) {
            String field = "domains[" + i + "]";
            DomainNames.mixedScriptWarning(domains.get(i))
                    .ifPresent(w -> warnings.addObject().put("field", field).put("message", w));
        }
        if (!warnings.isEmpty()) {
            n.set("warnings", warnings);
        }
        return n;
    }
}
