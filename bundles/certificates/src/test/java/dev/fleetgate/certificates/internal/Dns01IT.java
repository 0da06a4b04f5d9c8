package dev.fleetgate.certificates.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.fleetgate.certificates.CertificateState;
import dev.fleetgate.certificates.testing.Pebble;
import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.DnsService;
import dev.fleetgate.dns.RecordChange;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.dns.internal.Rfc2136Provider;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.security.SecretBox;

/**
 * dns-01 for a wildcard through module 3's RFC 2136 provider against a real bind9, validated by a real Pebble that
 * resolves through the same bind9 (the plain name beside the wildcard goes through http-01). Ports: bind9 21430,
 * Pebble 21431–21435, http-01 21436.
 */
class Dns01IT {

    @Test
    void aWildcardIsIssuedThroughDns01AndItsTxtRecordRemoved() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                Bind9Zone bind = new Bind9Zone("certs.test", 21430, "wild");
                Pebble pebble = new Pebble(21431, 21436, Map.of(), 0, "127.0.0.1:21430");
                Fakes.ChallengeServer challenges = new Fakes.ChallengeServer(21436)) {
            CertificateStore store = Fakes.store(db);
            SecretBox box = Fakes.box();
            CertificatesConfig config =
                    Fakes.config(pebble.directoryUrl(), pebble.caFile().toString());
            CertificateService certs = new CertificateService(
                    store,
                    box,
                    new Fakes.Desired(),
                    new Fakes.Events(),
                    new Fakes.Services(),
                    new AcmeServer(config.directoryUrl(), config.caFile(), store, box),
                    challenges,
                    config);
            Rfc2136Provider provider = Rfc2136Provider.withTimeout(Duration.ofSeconds(5));
            certs.dns = new DnsService() {
                @Override
                public Optional<String> zoneOf(String name) {
                    return name.equals(bind.zone) || name.endsWith("." + bind.zone)
                            ? Optional.of(bind.zone)
                            : Optional.empty();
                }

                @Override
                public void apply(List<RecordChange> changes) throws DnsException {
                    provider.apply(bind.dnsZone(), changes);
                }

                @Override
                public List<DnsRecord> lookup(String name, RecordType type) throws DnsException {
                    return provider.lookup(bind.dnsZone(), name, type);
                }
            };
            certs.saveAccount("admin@example.test", true);

            StoredCertificate c = certs.request(List.of("*.wild.certs.test", "wild.certs.test"));
            assertTrue(certs.runLocked(c.id()));
            StoredCertificate issued = store.get(c.id()).orElseThrow();
            assertEquals(CertificateState.VALID, issued.state(), issued::error);
            assertEquals(
                    List.of("*.wild.certs.test", "wild.certs.test"),
                    Pem.dnsNames(Pem.readChain(issued.certPem()).get(0)).stream()
                            .sorted()
                            .toList());
            assertEquals(1, challenges.published.get(), "the plain name went through http-01");
            assertTrue(
                    provider.lookup(bind.dnsZone(), "_acme-challenge.wild.certs.test", RecordType.TXT)
                            .isEmpty(),
                    "the dns-01 TXT record is removed afterwards");

            StoredCertificate outside = certs.request(List.of("*.elsewhere.test"));
            certs.runLocked(outside.id());
            StoredCertificate failed = store.get(outside.id()).orElseThrow();
            assertEquals(CertificateState.FAILED, failed.state());
            assertTrue(failed.error().contains("needs dns-01"), failed.error());
            certs.deactivate();
        }
    }
}
