package dev.fleetgate.alerts.command;

import java.util.Locale;
import java.util.UUID;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.alerts.internal.AlertStore;
import dev.fleetgate.alerts.internal.Incident;
import dev.fleetgate.alerts.internal.IncidentEngine;

/** {@code fleetgate:incidents}: lists incidents, shows one with its timeline, or acknowledges one. */
@Command(
        scope = "fleetgate",
        name = "incidents",
        description = "Lists incidents (open by default); " + "with an id, shows its timeline and deliveries")
@Service
public class IncidentsCommand implements Action {

    @Reference
    AlertStore store;

    @Option(name = "-a", aliases = "--all", description = "Resolved ones too")
    boolean all;

    @Option(name = "-s", aliases = "--severity", description = "info, warning or critical")
    String severity;

    @Option(name = "--subject", description = "Part of the subject")
    String subject;

    @Option(name = "--ack", description = "Acknowledge the incident given by id")
    boolean ack;

    @Option(name = "-n", aliases = "--limit", description = "At most this many (default 50)")
    int limit = 50;

    @Argument(index = 0, name = "id", required = false, description = "An incident id")
    String id;

    @Override
    public Object execute() {
        if (id != null) {
            UUID iid = UUID.fromString(id);
            if (ack) {
                store.ack(iid, "shell");
            }
            Incident i = store.incident(iid).orElseThrow(() -> new IllegalArgumentException("No incident " + id));
            System.out.println(i.ruleName() + " on " + i.subject() + ": " + i.state() + " (" + i.severity() + ")"
                    + (i.flapping() ? " flapping" : "")
                    + (i.ackedAt() == null ? "" : ", acknowledged by " + i.ackedBy()));
            System.out.println("value " + IncidentEngine.format(i.value()) + ", opened " + i.openedAt() + ", last seen "
                    + i.lastSeenAt() + (i.resolvedAt() == null ? "" : ", resolved " + i.resolvedAt()));
            ShellTable t = new ShellTable();
            t.column("At");
            t.column("Event");
            t.column("Detail");
            store.timeline(iid)
                    .forEach(e -> t.addRow().addContent(e.at(), e.type(), e.detail() == null ? "" : e.detail()));
            t.print(System.out);
            ShellTable d = new ShellTable();
            d.column("Channel");
            d.column("Event");
            d.column("State");
            d.column("Attempts").alignRight();
            d.column("Sent");
            d.column("Error");
            store.deliveries(iid, null, 100).forEach(x -> d.addRow()
                    .addContent(
                            x.channelName(),
                            x.event(),
                            x.state(),
                            x.attempts(),
                            x.sentAt() == null ? "" : x.sentAt(),
                            x.lastError() == null ? "" : x.lastError()));
            d.print(System.out);
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("State");
        table.column("Severity");
        table.column("Rule");
        table.column("Subject");
        table.column("Value").alignRight();
        table.column("Opened");
        table.column("Resolved");
        table.column("Ack");
        for (Incident i : store.incidents(new AlertStore.IncidentFilter(
                all ? null : "OPEN",
                severity == null ? null : severity.toLowerCase(Locale.ROOT),
                subject,
                null,
                Math.max(1, Math.min(limit, 1000))))) {
            table.addRow()
                    .addContent(
                            i.id(),
                            i.state() + (i.flapping() ? "*" : ""),
                            i.severity(),
                            i.ruleName(),
                            i.subject(),
                            IncidentEngine.format(i.value()),
                            i.openedAt(),
                            i.resolvedAt() == null ? "" : i.resolvedAt(),
                            i.ackedBy() == null ? "" : i.ackedBy());
        }
        table.print(System.out);
        return null;
    }
}
