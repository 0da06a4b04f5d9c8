package dev.fleetgate.proxy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A listener of a site.
 *
 * @param port the port, or null for the agent's configured HTTP (or HTTPS when {@code tls})
 *             port — the core does not know how each agent's proxy is exposed
 * @param tls  whether the listener terminates TLS (needs {@link Site#tls()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Listen(Integer port, boolean tls) {
    /** The agent's HTTP port. */
    public static final Listen HTTP = new Listen(null, false);
    /** The agent's HTTPS port. */
    public static final Listen HTTPS = new Listen(null, true);
}
