package dev.fleetgate.agent.internal.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An in-memory framework: bundles by location, with their jar content; records what was done. */
final class FakeBundleOps implements BundleOps {

    final Map<String, BundleInfo> bundles = new LinkedHashMap<>();
    final Map<String, String> content = new LinkedHashMap<>();
    final List<String> log = new ArrayList<>();
    final Set<String> unresolvable = new TreeSet<>();

    FakeBundleOps() {
        bundles.put("System Bundle", new BundleInfo("org.apache.felix.framework", "7.0.5", "ACTIVE", "System Bundle"));
        bundles.put("dist:scr.jar", new BundleInfo("org.apache.felix.scr", "2.2.18", "ACTIVE", "dist:scr.jar"));
    }

    @Override
    public List<BundleInfo> bundles() {
        return new ArrayList<>(bundles.values());
    }

    @Override
    public void install(String name, Path jar) throws Exception {
        log.add("install " + name);
        put(name, jar, "INSTALLED");
    }

    @Override
    public void update(String name, Path jar) throws Exception {
        log.add("update " + name);
        put(name, jar, "INSTALLED");
    }

    @Override
    public void uninstall(String name) {
        log.add("uninstall " + name);
        bundles.remove(LOCATION_PREFIX + name);
    }

    @Override
    public void refresh() {
        log.add("refresh");
    }

    @Override
    public void start(String name) throws Exception {
        BundleInfo info = bundles.get(LOCATION_PREFIX + name);
        if (unresolvable.contains(name)) {
            throw new IllegalStateException(
                    "Unable to resolve " + name + ": missing requirement osgi.wiring.package=x");
        }
        bundles.put(info.location(), new BundleInfo(info.symbolicName(), info.version(), "ACTIVE", info.location()));
    }

    private void put(String name, Path jar, String state) throws Exception {
        String text = Files.readString(jar);
        content.put(name, text);
        bundles.put(LOCATION_PREFIX + name, new BundleInfo(name, text, state, LOCATION_PREFIX + name));
    }
}
