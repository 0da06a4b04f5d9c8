package dev.fleetgate.security.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.fleetgate.api.Roles;

/** Completes role names. */
@Service
public class RoleCompleter implements Completer {
    private final StringsCompleter roles = new StringsCompleter(List.of(Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER));

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return roles.complete(session, commandLine, candidates);
    }
}
