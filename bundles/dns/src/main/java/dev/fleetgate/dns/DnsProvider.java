package dev.fleetgate.dns;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard SPI: changes records in an authoritative zone. Register one per provider
 * type with the service property {@value #TYPE} (e.g. {@code rfc2136}); a zone configured
 * with that provider is served by it. The module ships {@code rfc2136} (dynamic updates,
 * TSIG-signed, over TCP).
 *
 * <p>Implementations are thread-safe, keep no state per zone, and bound every call with a
 * timeout.
 */
@ConsumerType
public interface DnsProvider {

    /** Service property naming the provider type. */
    String TYPE = "fleetgate.dns.provider";

    /**
     * Applies the changes, in order, to {@code zone}. Where the provider can, all changes
     * succeed or fail together (RFC 2136: one UPDATE message per batch; large lists are sent
     * in several batches, each atomic).
     *
     * @param zone    the zone; every record's name is in it
     * @param changes adds and deletes; adding an existing record or deleting an absent one
     *                is no error
     * @throws DnsException when the server refused or could not be reached; changes of the
     *                      failed batch are not applied
     */
    void apply(DnsZone zone, List<RecordChange> changes) throws DnsException;

    /**
     * Reads the records of one name and type as the zone's server holds them (not through
     * caches).
     *
     * @return the records, empty when there are none
     */
    List<DnsRecord> lookup(DnsZone zone, String name, RecordType type) throws DnsException;
}
