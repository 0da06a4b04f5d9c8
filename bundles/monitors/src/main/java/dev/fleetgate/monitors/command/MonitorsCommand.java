package dev.fleetgate.monitors.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.monitors.internal.MonitorService;
import dev.fleetgate.monitors.internal.StoredMonitor;

/** {@code fleetgate:monitors}: lists the monitors, their state and 24 h uptime. */
@Command(scope = "fleetgate", name = "monitors", description = "Lists the uptime monitors and their state")
@Service
public class MonitorsCommand implements Action {

    @Reference
    MonitorService monitors;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Id");
        table.column("Type");
        table.column("Target");
        table.column("Every").alignRight();
        table.column("Agents").alignRight();
        table.column("State");
        table.column("Since");
        table.column("Up 24h").alignRight();
        for (StoredMonitor m : monitors.list()) {
            MonitorService.Status s = monitors.status(m.id());
            table.addRow()
                    .addContent(
                            m.name(),
                            m.id(),
                            m.type(),
                            m.target(),
                            m.intervalSeconds() + "s",
                            m.agentIds().size(),
                            m.state(),
                            m.stateSince(),
                            s.uptime24h() == null ? "-" : String.format("%.2f%%", s.uptime24h()));
        }
        table.print(System.out);
        return null;
    }
}
