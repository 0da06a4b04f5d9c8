package dev.fleetgate.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetgate.api.Backoff;
import dev.fleetgate.dns.RecordType;

/** Names, IP literals and backoff. */
class NamesTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1,127.0.0.1",
        "::1,::1",
        "0:0:0:0:0:0:0:1,::1",
        "2001:DB8:0:0:1:0:0:1,2001:db8::1:0:0:1",
        "2001:db8:0:0:0:0:2:1,2001:db8::2:1",
        "fe80:0:0:1:0:0:0:0,fe80:0:0:1::",
        "1:0:1:0:1:0:1:0,1:0:1:0:1:0:1:0"
    })
    void canonicalAddresses(String in, String out) {
        assertEquals(out, Addresses.canonical(in));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1.2.3",
                "1.2.3.256",
                "localhost",
                "host.example",
                "[::1]",
                "::1%eth0",
                "1.2.3.4:80",
                "1.2.3.4; rm -rf"
            })
    void notAddresses(String in) {
        assertNull(Addresses.canonical(in));
    }

    @Test
    void addressTypes() {
        assertEquals(RecordType.A, Addresses.typeOf("10.1.2.3"));
        assertEquals(RecordType.AAAA, Addresses.typeOf("2001:db8::1"));
        assertNull(Addresses.typeOf("example.test"));
    }

    @Test
    void zonesAndMembership() throws Exception {
        assertEquals("example.test", Names.zone("EXAMPLE.test."));
        assertTrue(Names.inZone("example.test", "example.test"));
        assertTrue(Names.inZone("a.b.example.test", "example.test"));
        assertFalse(Names.inZone("badexample.test", "example.test"));
        assertEquals("ns1.example.test", Names.server("NS1.example.test."));
        assertEquals("2001:db8::1", Names.server("2001:DB8::1"));
        assertEquals("_acme.key", Names.keyName("_ACME.key."));
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));
        for (int i = 0; i < 50; i++) {
            long first = b.delay(1).toMillis();
            assertTrue(first >= 1800 && first <= 2200, "first " + first);
            long third = b.delay(3).toMillis();
            assertTrue(third >= 7200 && third <= 8800, "third " + third);
            assertTrue(b.delay(40).toMillis() <= 30_000);
            assertTrue(b.delay(40).toMillis() >= 27_000);
        }
    }
}
