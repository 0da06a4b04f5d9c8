package dev.fleetgate.agents.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.agents.internal.Enrolment;

/** {@code fleetgate:enroll-tokens}: the open enrolment tokens (never the tokens themselves), as {@code GET /agents/enrollment-tokens}. */
@Service
@Command(
        scope = "fleetgate",
        name = "enroll-tokens",
        description = "Lists the enrolment tokens neither used nor expired")
public class EnrollTokensCommand implements Action {

    @Reference
    Enrolment enrolment;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Created by");
        table.column("Created");
        table.column("Expires");
        for (Enrolment.OpenToken t : enrolment.openTokens()) {
            table.addRow()
                    .addContent(
                            t.id(),
                            t.name() == null ? "" : t.name(),
                            t.createdBy() == null ? "" : t.createdBy(),
                            t.createdAt(),
                            t.expiresAt());
        }
        table.print(System.out);
        return null;
    }
}
