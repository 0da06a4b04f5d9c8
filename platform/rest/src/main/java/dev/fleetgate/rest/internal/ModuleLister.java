package dev.fleetgate.rest.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import dev.fleetgate.api.ModuleHeader;

/** Finds the bundles that declare themselves Fleetgate modules. */
public final class ModuleLister {
    private ModuleLister() {}

    /** @return the module bundles, sorted by module name */
    public static List<ModuleInfo> list(BundleContext context) {
        List<ModuleInfo> modules = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getHeaders("").get(ModuleHeader.MODULE); // raw, not localized
            if (name != null && !name.isBlank()) {
                modules.add(new ModuleInfo(
                        name.strip(), b.getSymbolicName(), b.getVersion().toString(), state(b.getState())));
            }
        }
        modules.sort(Comparator.comparing(ModuleInfo::name).thenComparing(ModuleInfo::bundle));
        return modules;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
