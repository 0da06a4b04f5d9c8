package dev.fleetgate.alerts.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.alerts.internal.AlertStore;
import dev.fleetgate.alerts.internal.AlertsRuntime;
import dev.fleetgate.alerts.internal.IncidentEngine;
import dev.fleetgate.alerts.internal.Rule;

/** {@code fleetgate:alert-rules}: lists the rules; {@code --evaluate} runs the metric rules now. */
@Command(scope = "fleetgate", name = "alert-rules", description = "Lists the alert rules")
@Service
public class AlertRulesCommand implements Action {

    @Reference
    AlertStore store;

    @Reference
    AlertsRuntime runtime;

    @Option(name = "--evaluate", description = "Evaluate the metric rules now and print what it did")
    boolean evaluate;

    @Override
    public Object execute() {
        if (evaluate) {
            IncidentEngine.Evaluation e = runtime.evaluate();
            System.out.println(
                    e == null
                            ? "evaluation failed (see the log)"
                            : !e.locked()
                                    ? "another core is evaluating right now"
                                    : e.rules() + " rules, " + e.series() + " series, "
                                            + e.samples() + " samples: " + e.opened() + " opened, " + e.resolved()
                                            + " resolved, "
                                            + e.queued() + " messages queued");
        }
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Kind");
        table.column("On");
        table.column("Severity");
        table.column("Condition");
        table.column("Channels").alignRight();
        for (Rule r : store.rules()) {
            String cond = r.isMetric()
                    ? r.metric() + (r.labels().isEmpty() ? "" : r.labels().toString()) + " "
                            + ("last".equals(r.aggregate()) || r.windowSeconds() == 0
                                    ? ""
                                    : r.aggregate() + "(" + r.windowSeconds() + "s) ")
                            + r.op() + " " + IncidentEngine.format(r.threshold())
                            + (r.forSeconds() > 0 ? " for " + r.forSeconds() + "s" : "")
                    : "event " + r.eventKind() + (r.forSeconds() > 0 ? " for " + r.forSeconds() + "s" : "");
            table.addRow()
                    .addContent(
                            r.id(),
                            r.name(),
                            r.kind(),
                            r.enabled() ? "yes" : "no",
                            r.severity(),
                            cond,
                            r.channelIds().size());
        }
        table.print(System.out);
        return null;
    }
}
