package dev.fleetgate.proxy;

import org.osgi.annotation.versioning.ConsumerType;

import dev.fleetgate.api.AgentInfo;

/**
 * Whiteboard service through which modules amend each agent's {@link ProxySpec}
 * (certificates add {@link Tls} and HTTPS listeners, pages add {@link ErrorPage}s, the
 * firewall adds {@link AccessRule}s, scaling adds {@link Target}s).
 *
 * <p>The proxy module builds the spec from the services placed on the agent, then passes
 * it through every registered contributor in ascending {@code ServiceReference} order:
 * lowest {@code service.ranking} first (on equal ranking the newer service first), so the
 * most preferred contributor (highest ranking, then oldest) sees the others' changes and
 * has the last word. A contributor that throws or
 * returns null is skipped (logged) and the spec it was given is kept.
 *
 * <p>Contributions must be deterministic (same inputs → equal spec), or every
 * recomputation yields a new revision and a proxy reload. When the data behind a
 * contribution changes, call
 * {@code DesiredStateService.changed(ProxySpec.SECTION)}; registering and unregistering
 * a contributor triggers that already.
 */
@ConsumerType
public interface ProxySpecContributor {

    /**
     * Service property naming what a contributor provides; the proxy module reports a service whose
     * {@code tls} is not off as not served over HTTPS while no contributor registers
     * {@value #PROVIDES}{@code =}{@value #PROVIDES_TLS}.
     */
    String PROVIDES = "fleetgate.proxy.provides";

    /** {@link #PROVIDES} value of the contributor that serves services' {@code tls}. */
    String PROVIDES_TLS = "tls";

    /**
     * @param agent the agent the spec is for
     * @param spec  the spec so far (immutable)
     * @return the amended spec (return {@code spec} for no change)
     */
    ProxySpec contribute(AgentInfo agent, ProxySpec spec);
}
