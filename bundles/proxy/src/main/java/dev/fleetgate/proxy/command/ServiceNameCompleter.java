package dev.fleetgate.proxy.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.StoredService;

/** Completes service names. */
@Service
public class ServiceNameCompleter implements Completer {

    @Reference
    ProxyServices services;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        for (StoredService s : services.list()) {
            names.getStrings().add(s.name());
        }
        return names.complete(session, commandLine, candidates);
    }
}
