package dev.fleetgate.proxy;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A group of targets requests are balanced over.
 *
 * @param name        unique within the spec, {@code [a-z0-9-]+}
 * @param serviceId   the service it belongs to (health reports name it), or null
 * @param lbMethod    balancing method
 * @param keepalive   idle connections kept open to the targets per worker (0 = none)
 * @param targets     the targets, in a stable order; may be empty (a service whose
 *                    containers are not running yet): the agent answers 503 then
 * @param healthCheck active check, or null for passive checks only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Upstream(
        String name,
        String serviceId,
        LbMethod lbMethod,
        int keepalive,
        List<Target> targets,
        HealthCheck healthCheck) {

    /** Balancing methods. */
    public enum LbMethod {
        @JsonProperty("round_robin")
        ROUND_ROBIN,
        @JsonProperty("least_conn")
        LEAST_CONN,
        @JsonProperty("ip_hash")
        IP_HASH
    }

    public Upstream {
        lbMethod = lbMethod == null ? LbMethod.ROUND_ROBIN : lbMethod;
        targets = Specs.list(targets);
    }

    public Upstream withTargets(List<Target> t) {
        return new Upstream(name, serviceId, lbMethod, keepalive, t, healthCheck);
    }
}
