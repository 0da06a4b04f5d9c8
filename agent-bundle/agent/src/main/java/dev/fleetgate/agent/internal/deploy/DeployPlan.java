package dev.fleetgate.agent.internal.deploy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to do to go from the managed bundles in the framework to the desired list.
 *
 * @param install   desired, not in the framework
 * @param update    desired, in the framework with another (or an unknown) SHA-256
 * @param uninstall managed, no longer desired
 * @param unchanged desired and already installed with the same SHA-256
 */
public record DeployPlan(
        List<DesiredBundle> install,
        List<DesiredBundle> update,
        List<String> uninstall,
        List<DesiredBundle> unchanged) {

    /**
     * @param desired      the desired bundles
     * @param present      names of the managed bundles now in the framework
     * @param installedSha the SHA-256 each managed bundle was installed from (as recorded)
     */
    public static DeployPlan of(
            Collection<DesiredBundle> desired, Set<String> present, Map<String, String> installedSha) {
        List<DesiredBundle> install = new ArrayList<>();
        List<DesiredBundle> update = new ArrayList<>();
        List<DesiredBundle> unchanged = new ArrayList<>();
        Set<String> wanted = new TreeSet<>();
        for (DesiredBundle bundle : desired) {
            wanted.add(bundle.symbolicName());
            if (!present.contains(bundle.symbolicName())) {
                install.add(bundle);
            } else if (bundle.sha256().equals(installedSha.get(bundle.symbolicName()))) {
                unchanged.add(bundle);
            } else {
                update.add(bundle);
            }
        }
        List<String> uninstall = new ArrayList<>();
        for (String name : new TreeSet<>(present)) {
            if (!wanted.contains(name)) {
                uninstall.add(name);
            }
        }
        return new DeployPlan(install, update, uninstall, unchanged);
    }

    public boolean changesFramework() {
        return !install.isEmpty() || !update.isEmpty() || !uninstall.isEmpty();
    }

    @Override
    public String toString() {
        return "install " + names(install) + ", update " + names(update) + ", uninstall " + uninstall + ", unchanged "
                + names(unchanged);
    }

    private static List<String> names(List<DesiredBundle> bundles) {
        return bundles.stream().map(DesiredBundle::symbolicName).toList();
    }
}
