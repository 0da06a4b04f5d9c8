package dev.fleetgate.pages.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CidrsTest {
    @Test
    void addressesAndBlocks() {
        assertEquals("127.0.0.2", Cidrs.normalise("127.0.0.2"));
        assertEquals("10.0.0.0/8", Cidrs.normalise("10.0.0.0/8"));
        assertEquals("2001:db8::/32", Cidrs.normalise("2001:DB8::/32"));
        assertEquals("::1", Cidrs.normalise("::1"));
        for (String bad : new String[] {
            "",
            "localhost",
            "example.com",
            "10.0.0.0/33",
            "1.2.3",
            "1.2.3.256",
            "::1/129",
            "10.0.0.0/",
            "10.0.0.0/8/8",
            "all",
            "1.2.3.4; deny"
        }) {
            assertNull(Cidrs.normalise(bad), bad);
        }
        assertNull(Cidrs.normalise(null));
    }
}
