package dev.fleetgate.dns;

import java.util.Objects;

/**
 * Adding or deleting one record. Both are idempotent: adding a record that exists, or
 * deleting one that does not, changes nothing and is no error. A delete removes only the
 * record with this name, type and value, never the rest of its set.
 */
public record RecordChange(Operation operation, DnsRecord record) {

    /** What to do with the record. */
    public enum Operation {
        ADD,
        DELETE
    }

    public RecordChange {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(record, "record");
    }

    public static RecordChange add(DnsRecord record) {
        return new RecordChange(Operation.ADD, record);
    }

    public static RecordChange delete(DnsRecord record) {
        return new RecordChange(Operation.DELETE, record);
    }
}
