package dev.fleetgate.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {
    @ParameterizedTest
    @CsvSource({
        "2001:DB8::/32, 2001:db8::/32",
        "10.0.0.0/8, 10.0.0.0/8",
        "' 2001:db8::0:1 ', 2001:db8::1",
        "010.000.000.001, 10.0.0.1",
        // RFC 5952: lower case, no leading zeros, the first longest run of zero groups, never a single one
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:0db8::0001, 2001:db8::1",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:1:1:1:1:0:1, 2001:db8:1:1:1:1:0:1",
        "fe80:0:0:1:0:0:0:0, fe80:0:0:1::",
        "0:0:0:0:0:0:0:1, ::1",
        "0::0, ::",
        "1:0:1:0:1:0:1:0, 1:0:1:0:1:0:1:0",
        // IPv4-mapped IPv6 is IPv4, its prefix counted over 128 bits
        "::ffff:192.0.2.7, 192.0.2.7",
        "::FFFF:c000:0207, 192.0.2.7",
        "::ffff:10.0.0.0/104, 10.0.0.0/8"
    })
    void normalises(String in, String out) {
        assertEquals(out, IpAddresses.normalise(in));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.0/33",
                "10.0.0/8",
                "256.0.0.1",
                "localhost",
                "10.0.0.1/",
                "::1/129",
                "fe80::1%eth0",
                "::ffff:10.0.0.0/64",
                ""
            })
    void refuses(String in) {
        assertNull(IpAddresses.normalise(in));
    }

    @Test
    void bytes() {
        assertNull(IpAddresses.normalise(null));
        assertArrayEquals(new byte[] {10, 1, 2, 3}, IpAddresses.literal("::ffff:10.1.2.3"));
        assertEquals("127.0.0.1", IpAddresses.text(new byte[] {127, 0, 0, 1}));
        assertEquals("255.255.255.255", IpAddresses.text(new byte[] {-1, -1, -1, -1}));
        byte[] v6 = new byte[16];
        v6[15] = 1;
        assertEquals("::1", IpAddresses.text(v6));
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.text(new byte[5]));
    }
}
