package dev.fleetgate.agent.internal.deploy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/** {@link BundleOps} on the running OSGi framework. */
final class FrameworkBundleOps implements BundleOps {

    private static final long REFRESH_TIMEOUT_S = 60;

    private final BundleContext context;

    FrameworkBundleOps(BundleContext context) {
        this.context = context;
    }

    @Override
    public List<BundleInfo> bundles() {
        List<BundleInfo> list = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            list.add(new BundleInfo(
                    String.valueOf(bundle.getSymbolicName()),
                    bundle.getVersion().toString(),
                    state(bundle.getState()),
                    bundle.getLocation()));
        }
        return list;
    }

    @Override
    public void install(String name, Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            Bundle bundle = context.installBundle(LOCATION_PREFIX + name, in);
            if (!name.equals(bundle.getSymbolicName())) {
                System.getLogger(FrameworkBundleOps.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                "bundle deployed as {0} has the symbolic name {1}",
                                name,
                                bundle.getSymbolicName());
            }
        }
    }

    @Override
    public void update(String name, Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            find(name).update(in);
        }
    }

    @Override
    public void uninstall(String name) throws Exception {
        find(name).uninstall();
    }

    @Override
    public void refresh() throws Exception {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        if (wiring.getRemovalPendingBundles().isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        if (!done.await(REFRESH_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("refresh did not finish in " + REFRESH_TIMEOUT_S + " s");
        }
    }

    @Override
    public void start(String name) throws Exception {
        Bundle bundle = find(name);
        if (bundle.getHeaders().get("Fragment-Host") != null) {
            return;
        }
        bundle.start();
        if (bundle.getState() != Bundle.ACTIVE && bundle.getState() != Bundle.STARTING) {
            throw new IllegalStateException(name + " is " + state(bundle.getState()) + " after start");
        }
    }

    private Bundle find(String name) throws BundleException {
        Bundle bundle = context.getBundle(LOCATION_PREFIX + name);
        if (bundle == null) {
            throw new BundleException("no bundle at location " + LOCATION_PREFIX + name);
        }
        return bundle;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNKNOWN";
        };
    }
}
