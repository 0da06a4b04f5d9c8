package dev.fleetgate.dns.internal;

import java.time.Instant;
import java.util.UUID;

import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.RecordType;

/**
 * A record Fleetgate wrote, is writing or is deleting in a zone.
 *
 * @param adopted null = not looked up yet, true = it existed before Fleetgate wanted it (so it
 *                is never deleted from the server), false = Fleetgate's own
 */
public record TrackedRecord(
        UUID zoneId,
        String name,
        RecordType type,
        String value,
        int ttl,
        UUID serviceId,
        State state,
        Boolean adopted,
        String lastError,
        Instant updatedAt) {

    /** Where the record stands. */
    public enum State {
        ADDING,
        PRESENT,
        DELETING
    }

    public Key key() {
        return new Key(zoneId, name, type, value);
    }

    public DnsRecord record() {
        return new DnsRecord(name, type, value, ttl);
    }

    /** Identity of a record within the module. */
    public record Key(UUID zoneId, String name, RecordType type, String value) {}
}
