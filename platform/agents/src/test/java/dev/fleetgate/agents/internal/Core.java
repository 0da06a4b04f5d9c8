package dev.fleetgate.agents.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.framework.Constants;

import dev.fleetgate.api.DesiredStateContributor;
import dev.fleetgate.persistence.testing.MutableClock;

/** One core's agent services built as POJOs on a database, as DS would wire them. */
final class Core implements AutoCloseable {
    final Notifier notifier;
    final AgentRegistry registry;
    final DesiredStateEngine desired;
    final Enrolment enrolment;
    final TaskQueue tasks;
    final SyncService sync;
    final BundleRepository bundles;
    final BundleSigner signer;

    Core(DataSource ds, Settings settings, MutableClock clock) {
        notifier = new Notifier(ds);
        try {
            if (!notifier.awaitListening(10_000)) {
                throw new IllegalStateException("LISTEN not ready");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        registry = new AgentRegistry(ds, notifier, settings, clock);
        desired = new DesiredStateEngine(ds, registry, notifier);
        signer = new BundleSigner(ds, null, TEST_BOX);
        enrolment = new Enrolment(ds, registry, desired, signer, CoreCertificate.of(Map.of()));
        tasks = new TaskQueue(ds, registry, notifier, settings, clock);
        sync = new SyncService(ds, registry, desired, tasks, notifier, TEST_BOX);
        bundles = new BundleRepository(ds, registry, desired, signer);
        contribute(BundleRepository.SECTION, new BundlesContributor(bundles), 0, 1000);
    }

    /** The master key every core of a test database shares (as cores share dev.fleetgate.security's). */
    static final dev.fleetgate.security.SecretBox TEST_BOX =
            new dev.fleetgate.security.internal.AesGcmSecretBox(new byte[32]);

    void contribute(String section, DesiredStateContributor c, int ranking, long serviceId) {
        desired.addContributor(
                c,
                Map.of(
                        DesiredStateContributor.SECTION,
                        section,
                        Constants.SERVICE_RANKING,
                        ranking,
                        Constants.SERVICE_ID,
                        serviceId));
    }

    void idle() throws Exception {
        desired.awaitIdle();
    }

    /** Creates a token and enrols an agent with it. */
    Enrolment.Enrolled enroll(String name) {
        Enrolment.Token t = enrolment.createToken(null, null, "test");
        return enrolment.enroll(new Enrolment.Request(t.token(), name, name + ".lan", null, "0.1.0"));
    }

    @Override
    public void close() {
        try {
            idle(); // let signalled computations finish before the database goes away
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        sync.close();
        desired.close();
        registry.close();
        notifier.close();
    }

    static void migrate(DataSource ds) {
        for (String migration : new String[] {"V1__agents.sql", "V2__bundle_signing.sql"}) {
            migrate(ds, "db/agents/" + migration);
        }
    }

    private static void migrate(DataSource ds, String resource) {
        try (InputStream in = Core.class.getClassLoader().getResourceAsStream(resource);
                Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
