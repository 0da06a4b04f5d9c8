package dev.fleetgate.agent;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Endpoints of services that run on this host but are not listed in the core's proxy
 * spec, such as the container replicas the agent runs itself (whiteboard service).
 *
 * <p>The proxy driver tracks every service of this type and adds its endpoints to the
 * upstream of the service with the same id, without reloading nginx. A provider lists an
 * endpoint only once it is ready to take traffic (running and accepting connections), and
 * removes it <em>before</em> stopping it: after removing one it waits at least
 * {@link #DRAIN_MILLIS} so that the proxy stops sending new requests and in-flight ones
 * finish. Whenever its set changes, the provider updates its service property
 * {@value #REVISION} (a growing number) so that trackers are told through
 * {@code ServiceRegistration.setProperties}.
 */
@ConsumerType
public interface ServiceEndpoints {

    /** Service property that grows on every change of {@link #endpoints()}. */
    String REVISION = "fleetgate.endpoints.revision";

    /** The least time a provider waits between removing an endpoint and stopping it. */
    long DRAIN_MILLIS = 1_000;

    /**
     * @return ready endpoints by service id (a snapshot; never {@code null})
     */
    Map<String, List<Endpoint>> endpoints();

    /**
     * A request is waiting for an endpoint of this service and none is ready (a service scaled to zero): a provider
     * that can start one on this host does so at once, without waiting for the core; the others ignore it. Called
     * again while requests keep waiting; must return quickly (start the work on a thread of the provider).
     *
     * @param serviceId the service's id
     */
    default void wake(String serviceId) {}

    /**
     * One ready endpoint.
     *
     * @param id     the provider's id of it (e.g. the container id), stable while it lives
     * @param host   IP literal or host name the proxy connects to
     * @param port   TCP port
     * @param weight load-balancing weight, 1..100
     */
    record Endpoint(String id, String host, int port, int weight) {}
}
