package dev.fleetgate.dns;

/** A provider could not change or read records; the message is meant for a person. */
public class DnsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, so that callers can tell a typo in the key from a server that is down. */
    public enum Kind {
        /** The server could not be reached or did not answer in time; retrying may help. */
        NETWORK,
        /** The server refused the credentials or the permission (unsigned, unknown key, wrong secret). */
        AUTH,
        /** The server understood the request and rejected it (e.g. not authoritative for the zone). */
        REJECTED,
        /** The server failed (e.g. SERVFAIL); retrying may help. */
        SERVER,
        /** The zone's configuration cannot be used (unknown provider, unreadable secret). */
        CONFIG
    }

    private final Kind kind;

    public DnsException(Kind kind, String message) {
        this(kind, message, null);
    }

    public DnsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
