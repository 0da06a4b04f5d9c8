package dev.fleetgate.firewall.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AddressRangesTest {
    @Test
    void matchesBlocks() {
        AddressRanges r = new AddressRanges(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "172.16.0.0/12"));
        assertTrue(r.contains("10.200.3.4"));
        assertTrue(r.contains("192.0.2.7"));
        assertFalse(r.contains("192.0.2.8"));
        assertTrue(r.contains("172.31.255.255"));
        assertFalse(r.contains("172.32.0.1"));
        assertTrue(r.contains("2001:db8:1::5"));
        assertFalse(r.contains("2001:db9::1"));
        assertTrue(r.contains("::ffff:10.1.2.3"));
        assertFalse(r.contains("example.com"));
        assertFalse(r.contains(""));
    }

    @Test
    void normalises() {
        assertEquals("2001:db8::/32", AddressRanges.normalise("2001:DB8::/32"));
        assertEquals("10.0.0.0/8", AddressRanges.normalise("10.0.0.0/8"));
        assertNull(AddressRanges.normalise("10.0.0.0/33"));
        assertNull(AddressRanges.normalise("10.0.0/8"));
        assertNull(AddressRanges.normalise("256.0.0.1"));
        assertNull(AddressRanges.normalise("localhost"));
        assertNull(AddressRanges.normalise("10.0.0.1/"));
        assertNull(AddressRanges.normalise("::1/129"));
    }

    @Test
    void canonicalisesIpv6AndMappedIpv4() {
        assertEquals("2001:db8::1", AddressRanges.normalise("2001:DB8:0:0:0:0:0:1"));
        assertEquals("2001:db8::1", AddressRanges.normalise("2001:0db8::0001"));
        assertEquals("2001:db8:0:1::1", AddressRanges.normalise("2001:db8:0:1:0:0:0:1"));
        assertEquals("2001:db8::1:0:0:1", AddressRanges.normalise("2001:db8:0:0:1:0:0:1")); // first longest run
        assertEquals("2001:db8:1:1:1:1:0:1", AddressRanges.normalise("2001:db8:1:1:1:1:0:1")); // one zero group
        assertEquals("::1", AddressRanges.normalise("0:0:0:0:0:0:0:1"));
        assertEquals("::", AddressRanges.normalise("0::0"));
        assertEquals("fe80::", AddressRanges.normalise("fe80:0:0:0:0:0:0:0"));
        assertEquals("192.0.2.7", AddressRanges.normalise("::ffff:192.0.2.7"));
        assertEquals("192.0.2.7", AddressRanges.normalise("::FFFF:c000:0207"));
        assertEquals("10.0.0.0/8", AddressRanges.normalise("::ffff:10.0.0.0/104"));
        assertNull(AddressRanges.normalise("::ffff:10.0.0.0/64"));
        assertEquals("10.0.0.1", AddressRanges.normalise("010.000.000.001"));
        assertEquals("2001:db8::/32", AddressRanges.normalise("2001:db8:0::/32"));
        assertEquals("2001:db8::1", AddressRanges.canonical(" 2001:db8::0:1 "));
        assertNull(AddressRanges.canonical("2001:db8::/32"));
        assertNull(AddressRanges.canonical("fe80::1%eth0"));
        assertEquals("2001:db8::1", AddressRanges.canonicalClient("2001:db8:0::1"));
        assertEquals("not-an-address", AddressRanges.canonicalClient("not-an-address"));
        AddressRanges r = new AddressRanges(List.of("2001:db8:0:0:0:0:0:1", "::ffff:192.0.2.0/120"));
        assertTrue(r.contains("2001:db8::1"));
        assertTrue(r.contains("192.0.2.99"));
    }
}
