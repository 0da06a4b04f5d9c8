package dev.fleetgate.dns;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Records in the zones configured in Fleetgate, for other modules: the certificates module
 * places ACME dns-01 challenges ({@code _acme-challenge.<domain>} TXT records) through it.
 * The A/AAAA records of services are the module's own business and are not changed here.
 */
@ProviderType
public interface DnsService {

    /**
     * @param name an absolute name without the trailing dot
     * @return the apex of the most specific configured zone that holds {@code name}
     */
    Optional<String> zoneOf(String name);

    /**
     * Applies TXT changes, each in the zone that holds its name (one provider call per zone).
     *
     * @throws IllegalArgumentException when a change is not TXT
     * @throws DnsException             when a name is in no configured zone or a provider failed
     */
    void apply(List<RecordChange> changes) throws DnsException;

    /** Reads a name's records of one type from the authoritative server of its zone. */
    List<DnsRecord> lookup(String name, RecordType type) throws DnsException;
}
