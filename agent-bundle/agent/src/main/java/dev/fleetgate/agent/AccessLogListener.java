package dev.fleetgate.agent;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the proxy's access log, parsed once (whiteboard service): the nginx metrics
 * collector and the traffic analyser both listen. Entries arrive in batches, in log order,
 * on the reader's thread: a listener must return quickly and must not throw.
 */
@ConsumerType
public interface AccessLogListener {

    /** @param entries requests in the order nginx logged them; never empty */
    void onAccessLog(List<AccessLogEntry> entries);
}
