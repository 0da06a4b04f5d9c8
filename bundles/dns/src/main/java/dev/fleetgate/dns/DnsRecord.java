package dev.fleetgate.dns;

import java.util.Locale;
import java.util.Objects;

/**
 * One resource record.
 *
 * @param name  absolute owner name without the trailing dot, lower case; may start with
 *              {@code *.} for a wildcard record
 * @param type  its type
 * @param value an IP address for {@link RecordType#A}/{@link RecordType#AAAA}, the text for
 *              {@link RecordType#TXT}
 * @param ttl   time to live in seconds
 */
public record DnsRecord(String name, RecordType type, String value, int ttl) {

    public DnsRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (ttl < 0) {
            throw new IllegalArgumentException("ttl must not be negative");
        }
        String n = name.toLowerCase(Locale.ROOT);
        name = n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
    }
}
