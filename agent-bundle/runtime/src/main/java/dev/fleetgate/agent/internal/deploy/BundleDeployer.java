package dev.fleetgate.agent.internal.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.StateApplier;
import dev.fleetgate.agent.internal.Threads;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
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

    @Activate
    public BundleDeployer(@Reference AgentContext agent, BundleContext context) {
        ObjectMapper mapper = new ObjectMapper();
        this.deployer = new Deployer(new FrameworkBundleOps(context),
                new JarStore(agent.stateDir().resolve("bundles"), agent::download),
                agent.stateDir().resolve("bundles.json"), mapper);
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

    @Override
    public void apply(long revision, JsonNode body) throws Exception {
        List<DesiredBundle> desired = DesiredBundle.parse(body);
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
