package dev.fleetgate.agent.internal.deploy;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.internal.JsonFiles;

/**
 * Makes the managed bundles (location {@code fleetgate:<name>}) match a desired list:
 * downloads and verifies jars first, then uninstalls, installs, updates, refreshes and
 * starts, one bundle at a time. A bundle that fails (download, hash, resolution, start)
 * keeps its previous version if it had one; the others go ahead. Never touches bundles
 * with another location. Not thread-safe by itself: callers serialise (one deploy thread).
 */
public final class Deployer {

    private static final Logger LOG = System.getLogger(Deployer.class.getName());

    private final BundleOps ops;
    private final JarStore jars;
    private final Path recordFile;
    private final ObjectMapper mapper;
    private volatile Map<String, String> errors = Map.of();

    public Deployer(BundleOps ops, JarStore jars, Path recordFile, ObjectMapper mapper) {
        this.ops = ops;
        this.jars = jars;
        this.recordFile = recordFile;
        this.mapper = mapper;
    }

    /** Rebuilds the managed bundles from {@code bundles.json} (after a wiped framework cache, or at start). */
    public void restore() {
        DeployRecord record = loadRecord();
        if (record.bundles().isEmpty() && ops.managed().isEmpty()) {
            return;
        }
        LOG.log(
                Level.INFO,
                "checking {0} deployed bundle(s) recorded in {1}",
                record.bundles().size(),
                recordFile);
        try {
            apply(record.bundles());
        } catch (DeployException e) {
            LOG.log(Level.WARNING, "restoring deployed bundles: {0}", e.getMessage());
        }
    }

    /**
     * Deploys the desired list.
     *
     * @throws DeployException when some bundles failed (their errors are also in {@link #status()})
     */
    public void apply(List<DesiredBundle> desired) throws DeployException {
        DeployRecord record = loadRecord();
        Map<String, BundleOps.BundleInfo> present = ops.managed();
        Map<String, String> installed = new TreeMap<>(record.installed());
        installed.keySet().retainAll(present.keySet());
        DeployPlan plan = DeployPlan.of(desired, present.keySet(), installed);
        Map<String, String> failures = new LinkedHashMap<>();
        boolean changed = false;
        if (plan.changesFramework()) {
            LOG.log(Level.INFO, "deploying bundles: {0}", plan);
        }

        Map<String, Path> fetched = new LinkedHashMap<>();
        for (DesiredBundle bundle : concat(plan.install(), plan.update())) {
            try {
                fetched.put(bundle.symbolicName(), jars.fetch(bundle));
            } catch (IOException e) {
                failures.put(bundle.symbolicName(), e.getMessage());
                LOG.log(Level.WARNING, "cannot fetch {0}: {1}", bundle.symbolicName(), e.getMessage());
            }
        }
        for (String name : plan.uninstall()) {
            try {
                ops.uninstall(name);
                installed.remove(name);
                changed = true;
                LOG.log(Level.INFO, "uninstalled {0}", name);
            } catch (Exception e) {
                failures.put(name, "uninstall failed: " + message(e));
            }
        }
        for (DesiredBundle bundle : plan.install()) {
            Path jar = fetched.get(bundle.symbolicName());
            if (jar != null) {
                try {
                    ops.install(bundle.symbolicName(), jar);
                    installed.put(bundle.symbolicName(), bundle.sha256());
                    changed = true;
                    LOG.log(Level.INFO, "installed {0} {1}", bundle.symbolicName(), bundle.version());
                } catch (Exception e) {
                    failures.put(bundle.symbolicName(), "install failed: " + message(e));
                }
            }
        }
        for (DesiredBundle bundle : plan.update()) {
            Path jar = fetched.get(bundle.symbolicName());
            if (jar != null) {
                try {
                    ops.update(bundle.symbolicName(), jar);
                    installed.put(bundle.symbolicName(), bundle.sha256());
                    changed = true;
                    LOG.log(Level.INFO, "updated {0} to {1}", bundle.symbolicName(), bundle.version());
                } catch (Exception e) {
                    failures.put(bundle.symbolicName(), "update failed: " + message(e));
                }
            }
        }
        saveRecord(new DeployRecord(desired, installed));
        if (changed) {
            try {
                ops.refresh();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "refreshing bundles failed: {0}", message(e));
            }
        }
        for (DesiredBundle bundle : desired) {
            if (installed.containsKey(bundle.symbolicName())) {
                try {
                    ops.start(bundle.symbolicName());
                } catch (Exception e) {
                    failures.putIfAbsent(bundle.symbolicName(), "start failed: " + message(e));
                }
            }
        }
        for (Map.Entry<String, String> failure : failures.entrySet()) {
            LOG.log(Level.WARNING, "bundle {0}: {1}", failure.getKey(), failure.getValue());
        }
        errors = Map.copyOf(failures);
        Set<String> keep = new HashSet<>(installed.values());
        desired.forEach(b -> keep.add(b.sha256()));
        jars.retainOnly(keep);
        if (!failures.isEmpty()) {
            throw new DeployException(failures.size() + " of " + desired.size() + " bundle(s) failed: "
                    + failures.entrySet().stream()
                            .map(e -> e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining("; ")));
        }
    }

    /** @return {@code [{"symbolicName","version","state","error","managed"}]} for every bundle, plus desired ones that are missing */
    public ArrayNode status() {
        Map<String, String> errs = errors;
        Set<String> reported = new HashSet<>();
        ArrayNode list = mapper.createArrayNode();
        for (BundleOps.BundleInfo info : ops.bundles()) {
            ObjectNode entry = list.addObject();
            entry.put("symbolicName", info.symbolicName());
            entry.put("version", info.version());
            entry.put("state", info.state());
            entry.put("error", info.managed() ? errs.get(info.managedName()) : null);
            entry.put("managed", info.managed());
            if (info.managed()) {
                reported.add(info.managedName());
            }
        }
        errs.forEach((name, error) -> {
            if (!reported.contains(name)) {
                ObjectNode entry = list.addObject();
                entry.put("symbolicName", name);
                entry.putNull("version");
                entry.put("state", "NOT_INSTALLED");
                entry.put("error", error);
                entry.put("managed", true);
            }
        });
        return list;
    }

    private DeployRecord loadRecord() {
        try {
            DeployRecord record = JsonFiles.read(mapper, recordFile, DeployRecord.class);
            return record == null ? new DeployRecord(List.of(), Map.of()) : record;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read {0} ({1}): starting from an empty record", recordFile, e.getMessage());
            return new DeployRecord(List.of(), Map.of());
        }
    }

    private void saveRecord(DeployRecord record) {
        try {
            JsonFiles.write(mapper, recordFile, record);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot write " + recordFile, e);
        }
    }

    private static List<DesiredBundle> concat(List<DesiredBundle> a, List<DesiredBundle> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
}
