package dev.fleetgate.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IpAddressesTest {
    @Test
    void normalisesAddressesAndBlocks() {
        assertEquals("2001:db8::/32", IpAddresses.normalise("2001:DB8::/32"));
        assertEquals("10.0.0.0/8", IpAddresses.normalise("10.0.0.0/8"));
        assertEquals("2001:db8::1", IpAddresses.normalise(" 2001:db8::0:1 "));
        assertEquals("10.0.0.1", IpAddresses.normalise("010.000.000.001"));
        assertNull(IpAddresses.normalise("10.0.0.0/33"));
        assertNull(IpAddresses.normalise("10.0.0/8"));
        assertNull(IpAddresses.normalise("256.0.0.1"));
        assertNull(IpAddresses.normalise("localhost"));
        assertNull(IpAddresses.normalise("10.0.0.1/"));
        assertNull(IpAddresses.normalise("::1/129"));
        assertNull(IpAddresses.normalise("fe80::1%eth0"));
        assertNull(IpAddresses.normalise(null));
    }

    @Test
    void writesIpv6AsRfc5952() {
        assertEquals("2001:db8::1", IpAddresses.normalise("2001:DB8:0:0:0:0:0:1"));
        assertEquals("2001:db8::1", IpAddresses.normalise("2001:0db8::0001"));
        assertEquals("2001:db8:0:1::1", IpAddresses.normalise("2001:db8:0:1:0:0:0:1"));
        assertEquals("2001:db8::1:0:0:1", IpAddresses.normalise("2001:db8:0:0:1:0:0:1")); // first longest run
        assertEquals("2001:db8:1:1:1:1:0:1", IpAddresses.normalise("2001:db8:1:1:1:1:0:1")); // one zero group
        assertEquals("fe80:0:0:1::", IpAddresses.normalise("fe80:0:0:1:0:0:0:0"));
        assertEquals("::1", IpAddresses.normalise("0:0:0:0:0:0:0:1"));
        assertEquals("::", IpAddresses.normalise("0::0"));
        assertEquals("1:0:1:0:1:0:1:0", IpAddresses.normalise("1:0:1:0:1:0:1:0"));
    }

    @Test
    void mappedIpv4IsIpv4() {
        assertEquals("192.0.2.7", IpAddresses.normalise("::ffff:192.0.2.7"));
        assertEquals("192.0.2.7", IpAddresses.normalise("::FFFF:c000:0207"));
        assertEquals("10.0.0.0/8", IpAddresses.normalise("::ffff:10.0.0.0/104"));
        assertNull(IpAddresses.normalise("::ffff:10.0.0.0/64"));
        assertArrayEquals(new byte[] {10, 1, 2, 3}, IpAddresses.literal("::ffff:10.1.2.3"));
    }

    @Test
    void textOfBytes() {
        assertEquals("127.0.0.1", IpAddresses.text(new byte[] {127, 0, 0, 1}));
        assertEquals("255.255.255.255", IpAddresses.text(new byte[] {-1, -1, -1, -1}));
        byte[] v6 = new byte[16];
        v6[15] = 1;
        assertEquals("::1", IpAddresses.text(v6));
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.text(new byte[5]));
    }
}
