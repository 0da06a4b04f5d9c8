package dev.fleetgate.certificates.internal;

import java.time.Duration;
import java.util.UUID;

/** Makes http-01 key authorizations reachable where the CA will look for them. */
public interface ChallengePublisher {

    /** Serves {@code keyAuthorization} at {@code http://<domain>/.well-known/acme-challenge/<token>}. */
    void publish(UUID certificateId, String domain, String token, String keyAuthorization);

    /**
     * Waits until what was published is served (the agents applied it).
     *
     * @return null when served everywhere, else why not (the order goes on: the CA may reach a host that serves it)
     */
    String awaitServed(Duration timeout) throws InterruptedException;
}
