package dev.fleetgate.agents.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.agents.internal.TaskQueue;
import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.TaskView;

/** {@code fleetgate:tasks}: the newest tasks of an agent. */
@Service
@Command(scope = "fleetgate", name = "tasks", description = "Lists the newest tasks of an agent")
public class TasksCommand implements Action {

    @Argument(index = 0, name = "agent", required = true, description = "Agent id or name")
    String agent;

    @Option(name = "--limit", description = "How many tasks (default 50)")
    int limit = 50;

    @Reference
    AgentDirectory agents;

    @Reference
    TaskQueue tasks;

    @Override
    public Object execute() {
        AgentInfo a = agents.list().stream()
                .filter(x -> x.id().equalsIgnoreCase(agent) || x.name().equals(agent))
                .findFirst()
                .orElse(null);
        if (a == null) {
            System.err.println("No agent " + agent);
            return null;
        }
        ShellTable table = new ShellTable();
        for (String c : new String[] {"Id", "Type", "Status", "Attempts", "Created", "Completed", "Error"}) {
            table.column(c);
        }
        for (TaskView t : tasks.list(a.id(), Math.max(1, Math.min(limit, 500)))) {
            table.addRow()
                    .addContent(
                            t.id(),
                            t.type(),
                            t.status(),
                            t.attempts(),
                            t.createdAt(),
                            t.completedAt() == null ? "" : t.completedAt(),
                            t.error() == null ? "" : t.error());
        }
        table.print(System.out);
        return null;
    }
}
