package dev.fleetgate.certificates.internal;

import java.util.Map;

import dev.fleetgate.certificates.testing.Pebble;
import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * A certificate service ordering from a real Pebble through {@link FaultyAcmeProxy} (http-01 answered by
 * {@link Fakes.ChallengeServer}), on its own database, terms agreed. Ports: {@code pebbleBase} .. +4 (Pebble),
 * {@code pebbleBase + 6} (http-01), {@code pebbleBase + 7} (proxy).
 */
final class ProxiedPebble implements AutoCloseable {
    final TestDatabase db;
    final Pebble pebble;
    final FaultyAcmeProxy proxy;
    final Fakes.ChallengeServer challenges;
    final CertificateStore store;
    final Fakes.Events events = new Fakes.Events();
    final CertificateService certs;

    /** @param before sets up the proxy's faults before the first request (the directory is fetched once) */
    ProxiedPebble(int pebbleBase, java.util.function.Consumer<FaultyAcmeProxy> before) throws Exception {
        db = TestDatabase.create();
        store = Fakes.store(db);
        pebble = new Pebble(pebbleBase, pebbleBase + 6, Map.of());
        proxy = new FaultyAcmeProxy(pebble, pebbleBase + 7);
        before.accept(proxy);
        challenges = new Fakes.ChallengeServer(pebble.httpPort());
        CertificatesConfig config =
                Fakes.config(proxy.directoryUrl(), pebble.caFile().toString());
        dev.fleetgate.security.SecretBox box = Fakes.box();
        certs = new CertificateService(
                store,
                box,
                new Fakes.Desired(),
                events,
                new Fakes.Services(),
                new AcmeServer(config.directoryUrl(), config.caFile(), store, box),
                challenges,
                config);
        certs.saveAccount("admin@example.test", true);
    }

    @Override
    public void close() throws Exception {
        certs.deactivate();
        challenges.close();
        proxy.close();
        pebble.close();
        db.close();
    }
}
