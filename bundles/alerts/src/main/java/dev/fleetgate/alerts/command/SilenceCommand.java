package dev.fleetgate.alerts.command;

import java.time.Instant;
import java.util.UUID;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.alerts.internal.AlertStore;
import dev.fleetgate.alerts.internal.Silence;

/**
 * {@code fleetgate:silence}: lists the active silences; with {@code --rule} and/or {@code --subject}
 * adds one for {@code --minutes}; {@code --remove id} deletes one.
 */
@Command(
        scope = "fleetgate",
        name = "silence",
        description =
                "Lists, adds (--rule/--subject, --minutes) or removes " + "(--remove) silences of alert notifications")
@Service
public class SilenceCommand implements Action {

    @Reference
    AlertStore store;

    @Option(name = "--rule", description = "Rule id to silence")
    String rule;

    @Option(name = "--subject", description = "Subject to silence, exact or a glob with *")
    String subject;

    @Option(name = "--minutes", description = "How long (default 60)")
    int minutes = 60;

    @Option(name = "--comment", description = "Why")
    String comment;

    @Option(name = "--remove", description = "Remove the silence with this id")
    String remove;

    @Override
    public Object execute() {
        if (remove != null) {
            System.out.println(store.deleteSilence(UUID.fromString(remove)) ? "removed" : "no such silence");
            return null;
        }
        if (rule != null || subject != null) {
            if (minutes < 1 || minutes > 366 * 24 * 60) {
                throw new IllegalArgumentException("--minutes must be from 1 to 527040");
            }
            Silence s = store.createSilence(new Silence(
                    null,
                    rule == null ? null : UUID.fromString(rule),
                    subject,
                    Instant.now().plusSeconds(minutes * 60L),
                    comment,
                    "shell",
                    null));
            System.out.println("silence " + s.id() + " until " + s.until());
        }
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Rule");
        table.column("Subject");
        table.column("Until");
        table.column("By");
        table.column("Comment");
        for (Silence s : store.silences(true)) {
            table.addRow()
                    .addContent(
                            s.id(),
                            s.ruleId() == null ? "(any)" : s.ruleId(),
                            s.subject() == null ? "(any)" : s.subject(),
                            s.until(),
                            s.createdBy() == null ? "" : s.createdBy(),
                            s.comment() == null ? "" : s.comment());
        }
        table.print(System.out);
        return null;
    }
}
