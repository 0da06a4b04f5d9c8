package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "10.1.2.3"})
    void validIpv4(String s) {
        assertTrue(IpAddresses.isIpv4(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.", "a.b.c.d", "1..2.3", ""})
    void invalidIpv4(String s) {
        assertFalse(IpAddresses.isIpv4(s));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "::1",
                "::",
                "fe80::1",
                "2001:db8::8a2e:370:7334",
                "2001:0db8:0000:0000:0000:ff00:0042:8329",
                "::ffff:127.0.0.1",
                "1::",
                "1:2:3:4:5:6:7::"
            })
    void validIpv6(String s) {
        assertTrue(IpAddresses.isIpv6(s), s);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                ":::",
                "1:2:3:4:5:6:7:8:9",
                "1::2::3",
                "12345::1",
                "g::1",
                "::1%eth0",
                "1:2:3:4:5:6:7",
                "[::1]",
                "1::2:",
                ":1::2",
                "::1.2.3",
                "1:2:3:4:5:6:7:1.2.3.4"
            })
    void invalidIpv6(String s) {
        assertFalse(IpAddresses.isIpv6(s), s);
    }
}
