package dev.fleetgate.proxy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Active HTTP health check the agent runs against each target. A target is healthy after
 * {@code rise} consecutive 2xx/3xx answers and unhealthy after {@code fall} failures.
 *
 * @param path            request path (and query), starts with {@code /}
 * @param intervalSeconds between checks
 * @param timeoutSeconds  per check
 * @param fall            failures before unhealthy
 * @param rise            successes before healthy
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthCheck(String path, int intervalSeconds, int timeoutSeconds, int fall, int rise) {}
