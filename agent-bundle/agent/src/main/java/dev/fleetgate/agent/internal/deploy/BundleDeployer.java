package dev.fleetgate.agent.internal.deploy;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.StateApplier;
import dev.fleetgate.agent.Threads;
import dev.fleetgate.agent.internal.AgentIdentity;
import dev.fleetgate.agent.internal.IdentityStore;

/**
 * Section {@code bundles}: installs, updates and uninstalls the bundles deployed from the
 * core, serially on one thread. On activation (before the first sync answer is applied)
 * it rebuilds them from {@code <stateDir>/bundles.json}.
 */
@Component(property = StateApplier.SECTION + "=bundles")
public final class BundleDeployer implements StateApplier {

    private static final Logger LOG = System.getLogger(BundleDeployer.class.getName());
    private static final long RESTORE_WAIT_S = 30;

    private final Deployer deployer;
    private final ExecutorService thread;
    private final IdentityStore identities;

    @Activate
    public BundleDeployer(@Reference AgentContext agent, BundleContext context) {
        ObjectMapper mapper = new ObjectMapper();
        this.identities = new IdentityStore(mapper, agent.stateDir());
        this.deployer = new Deployer(
                new FrameworkBundleOps(context),
                new JarStore(agent.stateDir().resolve("bundles"), agent::download, this::signingKey),
                agent.stateDir().resolve("bundles.json"),
                mapper);
        this.thread = Threads.pool("fleetgate-deploy", 1);
        // rebuild a wiped cache before the first sync answer is applied (bounded: jars are local)
        Future<?> restored = thread.submit(deployer::restore);
        try {
            restored.get(RESTORE_WAIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, "still restoring deployed bundles after {0} s; going on", RESTORE_WAIT_S);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "restoring deployed bundles failed", e.getCause());
        }
    }

    @Deactivate
    void deactivate() {
        thread.shutdownNow();
    }

    /** The core's bundle-signing key from {@code agent.json}, or {@code null} (then every bundle is refused). */
    private PublicKey signingKey() {
        try {
            AgentIdentity identity = identities.load();
            return identity == null || identity.bundleSigningKey() == null
                    ? null
                    : BundleSignature.publicKey(identity.bundleSigningKey());
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(
                    Level.WARNING,
                    "cannot read the bundle-signing key from {0}: {1}",
                    identities.file(),
                    e.getMessage());
            return null;
        }
    }

    /**
     * An agent enrolled before bundles were signed has no key: it adopts the one the core sends with the
     * section once (trust on first use, over the pinned or loopback connection), never replaces one it has.
     */
    private void adoptSigningKey(JsonNode body) {
        String offered = body.path("signingKey").asText(null);
        if (offered == null) {
            return;
        }
        try {
            AgentIdentity identity = identities.load();
            if (identity != null && identity.bundleSigningKey() == null) {
                BundleSignature.publicKey(offered);
                identities.save(identity.withBundleSigningKey(offered));
                LOG.log(
                        Level.WARNING,
                        "this agent enrolled before bundles were signed: adopted the core's bundle-signing"
                                + " key sent with the bundles section (trust on first use)");
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "cannot adopt the bundle-signing key: {0}", e.getMessage());
        }
    }

    @Override
    public void apply(long revision, JsonNode body) throws Exception {
        List<DesiredBundle> desired = DesiredBundle.parse(body);
        adoptSigningKey(body);
        Future<?> done = thread.submit(() -> {
            deployer.apply(desired);
            return null;
        });
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public JsonNode status() {
        return deployer.status();
    }
}
