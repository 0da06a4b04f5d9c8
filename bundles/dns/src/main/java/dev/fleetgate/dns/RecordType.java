package dev.fleetgate.dns;

/** The record types Fleetgate writes. */
public enum RecordType {
    /** IPv4 address. */
    A,
    /** IPv6 address. */
    AAAA,
    /** Text, one string of at most 255 characters (ACME dns-01 challenges). */
    TXT
}
