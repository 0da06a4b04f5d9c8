package dev.fleetgate.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsZone;

/** Server answers become errors a person can act on. */
class Rfc2136ErrorsTest {
    private static final DnsZone UNSIGNED = new DnsZone("example.test", "rfc2136", "127.0.0.1", 53, null, 60);

    private static Message answer(int rcode) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(rcode);
        return m;
    }

    @Test
    void noErrorIsSuccess() {
        assertNull(Rfc2136Errors.check(answer(Rcode.NOERROR), UNSIGNED, true));
    }

    @Test
    void nxdomainIsAnEmptyLookupButAFailedUpdate() {
        assertNull(Rfc2136Errors.check(answer(Rcode.NXDOMAIN), UNSIGNED, false));
        assertEquals(
                DnsException.Kind.REJECTED,
                Rfc2136Errors.check(answer(Rcode.NXDOMAIN), UNSIGNED, true).kind());
    }

    @Test
    void refusedWithoutKeyAsksForOne() {
        DnsException e = Rfc2136Errors.check(answer(Rcode.REFUSED), UNSIGNED, true);
        assertEquals(DnsException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("needs a TSIG key"), e.getMessage());
    }

    @Test
    void tsigErrorsNameTheCause() throws Exception {
        Message m = answer(Rcode.NOTAUTH);
        m.addRecord(
                new TSIGRecord(
                        Rfc2136Provider.name("fleetgate"),
                        DClass.ANY,
                        0,
                        TSIG.HMAC_SHA256,
                        Instant.now(),
                        Duration.ofSeconds(300),
                        new byte[0],
                        m.getHeader().getID(),
                        Rcode.BADTIME,
                        null),
                Section.ADDITIONAL);
        Message parsed = new Message(m.toWire());
        DnsException e = Rfc2136Errors.check(parsed, UNSIGNED, true);
        assertEquals(DnsException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("BADTIME") && e.getMessage().contains("clocks"), e.getMessage());
    }

    @Test
    void otherCodes() {
        assertTrue(Rfc2136Errors.check(answer(Rcode.NOTAUTH), UNSIGNED, true)
                .getMessage()
                .contains("not authoritative"));
        assertEquals(
                DnsException.Kind.SERVER,
                Rfc2136Errors.check(answer(Rcode.SERVFAIL), UNSIGNED, true).kind());
        assertEquals(
                DnsException.Kind.REJECTED,
                Rfc2136Errors.check(answer(Rcode.NOTZONE), UNSIGNED, true).kind());
        assertTrue(Rfc2136Errors.check(answer(Rcode.FORMERR), UNSIGNED, true)
                .getMessage()
                .contains("FORMERR"));
    }
}
