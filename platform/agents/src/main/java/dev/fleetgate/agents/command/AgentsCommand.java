package dev.fleetgate.agents.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;

/** {@code fleetgate:agents}: the enrolled agents and their status. */
@Service
@Command(scope = "fleetgate", name = "agents", description = "Lists the enrolled agents")
public class AgentsCommand implements Action {

    @Reference
    AgentDirectory agents;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Hostname");
        table.column("Role");
        table.column("Status");
        table.column("Last seen");
        table.column("Version");
        table.column("Address");
        for (AgentInfo a : agents.list()) {
            table.addRow()
                    .addContent(
                            a.id(),
                            a.name(),
                            a.hostname(),
                            a.role().value(),
                            a.status(),
                            a.lastSeenAt() == null ? "" : a.lastSeenAt(),
                            a.version() == null ? "" : a.version(),
                            a.address() == null ? "" : a.address());
        }
        table.print(System.out);
        return null;
    }
}
