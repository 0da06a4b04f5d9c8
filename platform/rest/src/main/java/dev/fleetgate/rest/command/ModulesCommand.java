package dev.fleetgate.rest.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;

import dev.fleetgate.rest.internal.ModuleInfo;
import dev.fleetgate.rest.internal.ModuleLister;

/** {@code fleetgate:modules}: the module bundles, as {@code GET /api/v1/modules} lists them. */
@Command(scope = "fleetgate", name = "modules", description = "Lists the Fleetgate module bundles and their state")
@Service
public class ModulesCommand implements Action {

    @Reference
    BundleContext bundleContext;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Module");
        table.column("Bundle");
        table.column("Version");
        table.column("State");
        for (ModuleInfo m : ModuleLister.list(bundleContext)) {
            table.addRow().addContent(m.name(), m.bundle(), m.version(), m.state());
        }
        table.print(System.out);
        return null;
    }
}
