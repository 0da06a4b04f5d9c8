package dev.fleetgate.proxy.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.proxy.internal.ServiceRevision;
import dev.fleetgate.proxy.internal.StoredService;

/** {@code fleetgate:service-revisions <name|id>}: the kept revisions of a service, newest first. */
@Command(scope = "fleetgate", name = "service-revisions", description = "Lists the kept revisions of a service")
@Service
public class ServiceRevisionsCommand extends ServiceCommand {

    @Override
    void run(StoredService s) {
        ShellTable table = new ShellTable();
        table.column("Revision").alignRight();
        table.column("Changed at");
        table.column("By");
        table.column("Action");
        for (ServiceRevision r : services.revisions(s.id())) {
            String action = r.sourceRevision() == null ? r.action() : r.action() + " (to " + r.sourceRevision() + ")";
            table.addRow()
                    .addContent(
                            r.revision() + (r.revision() == s.revision() ? " *" : ""),
                            r.changedAt(),
                            r.changedBy() == null ? "" : r.changedBy(),
                            action);
        }
        table.print(System.out);
    }
}
