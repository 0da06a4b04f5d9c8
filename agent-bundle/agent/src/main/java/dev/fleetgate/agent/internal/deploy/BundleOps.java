package dev.fleetgate.agent.internal.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The few framework operations the deployer needs (a fake in tests, the OSGi framework in the agent). */
public interface BundleOps {

    /** Location prefix of the bundles the deployer manages. */
    String LOCATION_PREFIX = "fleetgate:";

    /** A bundle in the framework. */
    record BundleInfo(String symbolicName, String version, String state, String location) {
        public boolean managed() {
            return location.startsWith(LOCATION_PREFIX);
        }

        /** The name the deployer knows it by: the location without its prefix. */
        public String managedName() {
            return location.substring(LOCATION_PREFIX.length());
        }
    }

    /** @return every bundle in the framework */
    List<BundleInfo> bundles();

    /** @return the managed bundles (location {@code fleetgate:<name>}) by name */
    default Map<String, BundleInfo> managed() {
        Map<String, BundleInfo> managed = new java.util.TreeMap<>();
        for (BundleInfo info : bundles()) {
            if (info.managed()) {
                managed.put(info.managedName(), info);
            }
        }
        return managed;
    }

    void install(String name, Path jar) throws Exception;

    void update(String name, Path jar) throws Exception;

    void uninstall(String name) throws Exception;

    /** Refreshes the wiring after updates and uninstalls (waits until done). */
    void refresh() throws Exception;

    /** Starts a managed bundle (resolving it); throws with the resolver's message when it cannot. */
    void start(String name) throws Exception;
}
