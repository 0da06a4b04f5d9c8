package dev.fleetgate.logs.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;

/** Completes agent names. */
@Service
public class AgentNameCompleter implements Completer {

    @Reference
    AgentDirectory agents;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        for (AgentInfo a : agents.list()) {
            names.getStrings().add(a.name());
        }
        return names.complete(session, commandLine, candidates);
    }
}
