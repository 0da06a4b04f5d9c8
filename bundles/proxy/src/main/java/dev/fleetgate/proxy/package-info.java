/**
 * The neutral reverse-proxy model the core sends to agents in the {@code proxy} section of
 * their desired state, and the whiteboard SPI through which modules add to it.
 *
 * <p>Nothing here is nginx syntax: the agent alone renders a {@link dev.fleetgate.proxy.ProxySpec}
 * to its proxy's configuration. Every string in a spec built from user input has been
 * validated by the core (no {@code ; { } " ' \ $}, CR or LF); an agent must still quote
 * what it renders.
 *
 * <p>Modules (certificates: {@link dev.fleetgate.proxy.Tls}; pages:
 * {@link dev.fleetgate.proxy.ErrorPage}; firewall: {@link dev.fleetgate.proxy.AccessRule};
 * scaling: more {@link dev.fleetgate.proxy.Target}s) register a
 * {@link dev.fleetgate.proxy.ProxySpecContributor} and return an amended copy of the spec.
 * Fields they cannot express yet go into {@link dev.fleetgate.proxy.ProxySpec#extensions()}.
 */
@Export
@Version("1.5.0")
package dev.fleetgate.proxy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
