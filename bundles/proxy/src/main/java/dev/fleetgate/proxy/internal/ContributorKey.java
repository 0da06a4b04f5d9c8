package dev.fleetgate.proxy.internal;

import java.util.Map;

import org.osgi.framework.Constants;

/**
 * Orders {@link dev.fleetgate.proxy.ProxySpecContributor}s like ascending
 * {@code ServiceReference}s: lowest ranking first; on equal ranking the newer service
 * (higher id) first. The most preferred contributor therefore runs last and wins.
 */
record ContributorKey(int ranking, long serviceId) implements Comparable<ContributorKey> {

    static ContributorKey of(Map<String, ?> properties) {
        Object r = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        return new ContributorKey(r instanceof Integer i ? i : 0, id instanceof Long l ? l : 0L);
    }

    @Override
    public int compareTo(ContributorKey o) {
        int c = Integer.compare(ranking, o.ranking);
        return c != 0 ? c : Long.compare(o.serviceId, serviceId);
    }
}
