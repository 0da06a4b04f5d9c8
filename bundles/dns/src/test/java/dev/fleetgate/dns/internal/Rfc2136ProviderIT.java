package dev.fleetgate.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.DnsZone;
import dev.fleetgate.dns.RecordChange;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.dns.TsigKey;

/** The RFC 2136 provider against a real bind9 on loopback. */
class Rfc2136ProviderIT {
    private static Bind9 bind;
    private static Rfc2136Provider provider;

    @BeforeAll
    static void start() throws Exception {
        bind = Bind9.start("manual IN A 192.0.2.10");
        provider = Rfc2136Provider.withTimeout(Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() throws Exception {
        bind.close();
    }

    private static DnsZone zone(TsigKey key) {
        return new DnsZone("example.test", "rfc2136", "127.0.0.1", bind.port(), key, 60);
    }

    private static DnsRecord rec(String name, RecordType type, String value) {
        return new DnsRecord(name, type, value, 60);
    }

    @Test
    void recordsAppearAndDisappear() throws Exception {
        DnsZone z = zone(bind.key());
        List<RecordChange> adds = List.of(
                RecordChange.add(rec("shop.example.test", RecordType.A, "127.0.0.10")),
                RecordChange.add(rec("shop.example.test", RecordType.AAAA, "::1")),
                RecordChange.add(rec("_acme-challenge.shop.example.test", RecordType.TXT, "tok-en_1")));
        long t0 = System.nanoTime();
        provider.apply(z, adds);
        long addMicros = (System.nanoTime() - t0) / 1000;
        assertEquals(List.of("127.0.0.10"), bind.dig("shop.example.test", "A"));
        assertEquals(List.of("::1"), bind.dig("shop.example.test", "AAAA"));
        assertEquals(List.of("\"tok-en_1\""), bind.dig("_acme-challenge.shop.example.test", "TXT"));
        assertEquals(
                List.of(rec("shop.example.test", RecordType.A, "127.0.0.10")),
                provider.lookup(z, "shop.example.test", RecordType.A));
        assertEquals(
                List.of(rec("_acme-challenge.shop.example.test", RecordType.TXT, "tok-en_1")),
                provider.lookup(z, "_acme-challenge.shop.example.test", RecordType.TXT));

        provider.apply(z, adds); // idempotent
        assertEquals(List.of("127.0.0.10"), bind.dig("shop.example.test", "A"));

        t0 = System.nanoTime();
        provider.apply(
                z, adds.stream().map(c -> RecordChange.delete(c.record())).toList());
        long deleteMicros = (System.nanoTime() - t0) / 1000;
        assertEquals(List.of(), bind.dig("shop.example.test", "A"));
        assertEquals(List.of(), bind.dig("shop.example.test", "AAAA"));
        assertEquals(List.of(), bind.dig("_acme-challenge.shop.example.test", "TXT"));
        assertEquals(List.of(), provider.lookup(z, "shop.example.test", RecordType.A));
        System.out.printf(
                "[dns] rfc2136 update of 3 records: add %.1f ms, delete %.1f ms%n",
                addMicros / 1000.0, deleteMicros / 1000.0);
    }

    @Test
    void deleteRemovesOnlyThatValueAndWildcardsWork() throws Exception {
        DnsZone z = zone(bind.key());
        provider.apply(
                z,
                List.of(
                        RecordChange.add(rec("two.example.test", RecordType.A, "127.0.0.1")),
                        RecordChange.add(rec("two.example.test", RecordType.A, "127.0.0.2")),
                        RecordChange.add(rec("*.apps.example.test", RecordType.A, "127.0.0.3"))));
        assertEquals(List.of("127.0.0.1", "127.0.0.2"), bind.dig("two.example.test", "A"));
        assertEquals(List.of("127.0.0.3"), bind.dig("anything.apps.example.test", "A"));
        assertEquals(
                List.of(rec("*.apps.example.test", RecordType.A, "127.0.0.3")),
                provider.lookup(z, "*.apps.example.test", RecordType.A));

        provider.apply(
                z,
                List.of(
                        RecordChange.delete(rec("two.example.test", RecordType.A, "127.0.0.1")),
                        RecordChange.delete(rec("*.apps.example.test", RecordType.A, "127.0.0.3"))));
        assertEquals(List.of("127.0.0.2"), bind.dig("two.example.test", "A"));
        assertEquals(List.of(), bind.dig("anything.apps.example.test", "A"));
        assertEquals(List.of("192.0.2.10"), bind.dig("manual.example.test", "A"), "records of others stay");
        provider.apply(z, List.of(RecordChange.delete(rec("two.example.test", RecordType.A, "127.0.0.2"))));
    }

    @Test
    void manyChangesGoInBatches() throws Exception {
        DnsZone z = zone(bind.key());
        List<RecordChange> adds = new ArrayList<>();
        for (int i = 0; i < 2 * Rfc2136Provider.BATCH + 50; i++) {
            adds.add(RecordChange.add(rec("bulk" + i + ".example.test", RecordType.A, "127.0.1." + (i % 250 + 1))));
        }
        long t0 = System.nanoTime();
        provider.apply(z, adds);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(List.of("127.0.1.1"), bind.dig("bulk0.example.test", "A"));
        assertEquals(List.of("127.0.1.200"), bind.dig("bulk449.example.test", "A"));
        provider.apply(
                z, adds.stream().map(c -> RecordChange.delete(c.record())).toList());
        assertEquals(List.of(), bind.dig("bulk449.example.test", "A"));
        System.out.printf(
                "[dns] rfc2136 %d adds in %d UPDATE messages: %d ms (%.2f ms per record)%n",
                adds.size(),
                (adds.size() + Rfc2136Provider.BATCH - 1) / Rfc2136Provider.BATCH,
                millis,
                (double) millis / adds.size());
    }

    @Test
    void measureOneRecordChange() throws Exception {
        DnsZone z = zone(bind.key());
        DnsRecord r = rec("latency.example.test", RecordType.A, "127.0.0.7");
        provider.apply(z, List.of(RecordChange.add(r), RecordChange.delete(r))); // warm-up
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long t0 = System.nanoTime();
            provider.apply(z, List.of(RecordChange.add(r)));
            micros.add((System.nanoTime() - t0) / 1000);
            t0 = System.nanoTime();
            provider.apply(z, List.of(RecordChange.delete(r)));
            micros.add((System.nanoTime() - t0) / 1000);
        }
        assertEquals(List.of(), bind.dig("latency.example.test", "A"));
        micros.sort(null);
        System.out.printf(
                "[dns] rfc2136 one-record UPDATE (TSIG, TCP, warm, 100 runs): median %.1f ms, p90 %.1f ms,"
                        + " max %.1f ms%n",
                micros.get(50) / 1000.0, micros.get(90) / 1000.0, micros.get(99) / 1000.0);
    }

    @Test
    void unsignedUpdateIsRefusedClearly() {
        DnsException e = assertThrows(
                DnsException.class,
                () -> provider.apply(
                        zone(null), List.of(RecordChange.add(rec("nokey.example.test", RecordType.A, "127.0.0.1")))));
        assertEquals(DnsException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("REFUSED") && e.getMessage().contains("needs a TSIG key"), e.getMessage());
    }

    @Test
    void wrongSecretIsBadSig() throws Exception {
        byte[] wrong = bind.key().secret();
        wrong[0] ^= 1;
        DnsException e = assertThrows(
                DnsException.class,
                () -> provider.apply(
                        zone(new TsigKey("fleetgate", "hmac-sha256", wrong)),
                        List.of(RecordChange.add(rec("badsig.example.test", RecordType.A, "127.0.0.1")))));
        assertEquals(DnsException.Kind.AUTH, e.kind());
        assertTrue(
                e.getMessage().contains("BADSIG") && e.getMessage().contains("secret does not match"), e.getMessage());
        assertEquals(List.of(), bind.dig("badsig.example.test", "A"));
    }

    @Test
    void unknownKeyIsBadKey() {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        DnsException e = assertThrows(
                DnsException.class,
                () -> provider.apply(
                        zone(new TsigKey("nobody", "hmac-sha256", secret)),
                        List.of(RecordChange.add(rec("badkey.example.test", RecordType.A, "127.0.0.1")))));
        assertEquals(DnsException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("BADKEY"), e.getMessage());
    }

    @Test
    void wrongAlgorithmIsBadKey() {
        DnsException e = assertThrows(
                DnsException.class,
                () -> provider.apply(
                        zone(new TsigKey("fleetgate", "hmac-sha512", bind.key().secret())),
                        List.of(RecordChange.add(rec("badalg.example.test", RecordType.A, "127.0.0.1")))));
        assertEquals(DnsException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("BADKEY"), e.getMessage());
    }

    @Test
    void keyWithoutPermissionIsRefused() {
        DnsException e = assertThrows(
                DnsException.class,
                () -> provider.apply(
                        zone(bind.otherKey()),
                        List.of(RecordChange.add(rec("other.example.test", RecordType.A, "127.0.0.1")))));
        assertEquals(DnsException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().contains("REFUSED") && e.getMessage().contains("not allowed"), e.getMessage());
    }

    @Test
    void zoneTheServerDoesNotServeIsNotAuth() {
        DnsZone z = new DnsZone("elsewhere.test", "rfc2136", "127.0.0.1", bind.port(), bind.key(), 60);
        DnsException e = assertThrows(
                DnsException.class,
                () -> provider.apply(z, List.of(RecordChange.add(rec("a.elsewhere.test", RecordType.A, "127.0.0.1")))));
        assertEquals(DnsException.Kind.REJECTED, e.kind());
        assertTrue(e.getMessage().contains("NOTAUTH"), e.getMessage());
    }

    @Test
    void serverDownIsANetworkError() {
        DnsZone z = new DnsZone("example.test", "rfc2136", "127.0.0.1", 19529, bind.key(), 60);
        DnsException e = assertThrows(
                DnsException.class,
                () -> provider.apply(
                        z, List.of(RecordChange.add(rec("down.example.test", RecordType.A, "127.0.0.1")))));
        assertEquals(DnsException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("127.0.0.1:19529"), e.getMessage());
    }

    @Test
    void recordOutsideTheZoneIsRejectedBeforeSending() {
        DnsException e = assertThrows(
                DnsException.class,
                () -> provider.apply(
                        zone(bind.key()),
                        List.of(RecordChange.add(rec("shop.other.test", RecordType.A, "127.0.0.1")))));
        assertEquals(DnsException.Kind.REJECTED, e.kind());
    }
}
