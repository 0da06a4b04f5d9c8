package dev.fleetgate.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;

import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsZone;
import dev.fleetgate.dns.TsigKey;
import dev.fleetgate.security.SecretBox;

/** TSIG keys: validation, secrecy, sealing at rest, and signing with dnsjava. */
class TsigKeyTest {
    private static final byte[] SECRET = Base64.getDecoder().decode("Xa3us1bYTyJu/4Vc6GqvqKr1axa1JK6/64MYJZBtttw=");

    @Test
    void keyValidatesAndNeverShowsItsSecret() {
        TsigKey k = new TsigKey("fleetgate", "HMAC-SHA512", SECRET);
        assertEquals("hmac-sha512", k.algorithm());
        assertFalse(k.toString().contains("Xa3us"), k.toString());
        assertTrue(k.toString().contains("32 bytes"));
        byte[] copy = k.secret();
        copy[0] ^= 1;
        assertEquals(SECRET[0], k.secret()[0], "the key keeps its own copy");
        assertEquals(new TsigKey("fleetgate", "hmac-sha512", SECRET), k);
        assertThrows(IllegalArgumentException.class, () -> new TsigKey("k", "hmac-md5", SECRET));
        assertThrows(IllegalArgumentException.class, () -> new TsigKey("k", "hmac-sha256", new byte[8]));
    }

    @Test
    void dnsjavaKeySignsAndVerifies() throws Exception {
        TsigKey k = new TsigKey("fleetgate", "hmac-sha256", SECRET);
        TSIG tsig = Rfc2136Provider.tsig(k);
        Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(
                Rfc2136Provider.name("example.test"), org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN));
        query.setTSIG(tsig);
        Message sent = new Message(query.toWire(65535));
        assertEquals(Rcode.NOERROR, tsig.verify(sent, query.toWire(65535), null), "a signed query verifies");
        assertEquals("hmac-sha256.", sent.getTSIG().getAlgorithm().toString());
        assertEquals("fleetgate.", sent.getTSIG().getName().toString());

        byte[] other = SECRET.clone();
        other[5] ^= 1;
        TSIG wrong = Rfc2136Provider.tsig(new TsigKey("fleetgate", "hmac-sha256", other));
        assertEquals(Rcode.BADSIG, wrong.verify(new Message(query.toWire(65535)), query.toWire(65535), null));
    }

    @Test
    void signedAnswerIsAcceptedUnsignedIsNot() throws Exception {
        TsigKey k = new TsigKey("fleetgate", "hmac-sha256", SECRET);
        DnsZone zone = new DnsZone("example.test", "rfc2136", "127.0.0.1", 53, k, 60);
        TSIG tsig = Rfc2136Provider.tsig(k);
        Message query = new Message();
        query.setTSIG(tsig);
        byte[] queryWire = query.toWire(65535);
        Message signedQuery = new Message(queryWire);

        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.setTSIG(tsig, Rcode.NOERROR, signedQuery.getTSIG());
        byte[] wire = answer.toWire(65535);
        Message received = new Message(wire);
        tsig.verify(received, wire, signedQuery.getTSIG());
        assertNull(Rfc2136Errors.check(received, zone, true));

        Message unsigned = new Message(query.getHeader().getID());
        unsigned.getHeader().setFlag(Flags.QR);
        DnsException e = Rfc2136Errors.check(new Message(unsigned.toWire()), zone, true);
        assertEquals(DnsException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("not signed"), e.getMessage());
    }

    @Test
    void secretIsSealedAtRestAndOpenedForTheProvider() throws Exception {
        SecretBox box = Fixtures.secretBox();
        ZoneAccess access = new ZoneAccess(box);
        String sealed = access.seal(Base64.getEncoder().encodeToString(SECRET));
        assertTrue(sealed.startsWith("v1:"));
        assertFalse(sealed.contains("Xa3us"));
        DnsZone z = access.open(zone(sealed));
        assertEquals(new TsigKey("fleetgate", "hmac-sha256", SECRET), z.key());
        assertEquals("127.0.0.1", z.server());

        DnsException e =
                assertThrows(DnsException.class, () -> new ZoneAccess(Fixtures.secretBox()).open(zone(sealed)));
        assertEquals(DnsException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("master key"), e.getMessage());
    }

    @Test
    void zoneWithoutKeyIsUnsigned() throws Exception {
        StoredZone z = new StoredZone(
                UUID.randomUUID(),
                "example.test",
                "rfc2136",
                "127.0.0.1",
                53,
                null,
                "hmac-sha256",
                null,
                60,
                Instant.EPOCH,
                Instant.EPOCH,
                StoredZone.Status.NEW);
        assertNull(new ZoneAccess(Fixtures.secretBox()).open(z).key());
        assertNotEquals(z.toString().indexOf("tsigSecretSet=false"), -1);
    }

    private static StoredZone zone(String sealed) {
        return new StoredZone(
                UUID.randomUUID(),
                "example.test",
                "rfc2136",
                "127.0.0.1",
                53,
                "fleetgate",
                "hmac-sha256",
                sealed,
                60,
                Instant.EPOCH,
                Instant.EPOCH,
                StoredZone.Status.NEW);
    }
}
