package dev.fleetgate.proxy.command;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.ServiceConfig;
import dev.fleetgate.proxy.internal.StoredService;

/** {@code fleetgate:service-add shop shop.example.test 127.0.0.1:9001 127.0.0.1:9002 --agent ID}. */
@Command(scope = "fleetgate", name = "service-add", description = "Adds a service: a domain routed to targets")
@Service
public class ServiceAddCommand implements Action {

    @Argument(index = 0, name = "name", required = true, description = "Service name ([a-z0-9-])")
    String name;

    @Argument(
            index = 1,
            name = "domain",
            required = true,
            description = "Domain (IDN allowed, leading *. for a wildcard)")
    String domain;

    @Argument(
            index = 2,
            name = "targets",
            required = true,
            multiValued = true,
            description = "Targets as host:port ([v6]:port for IPv6)")
    List<String> targets;

    @Option(
            name = "--agent",
            aliases = "-a",
            multiValued = true,
            description = "Agent id to place the service on (repeatable; default: every host agent)")
    List<String> agentIds;

    @Reference
    ProxyServices services;

    @Reference
    AgentDirectory agents;

    @Override
    public Object execute() {
        List<ServiceConfig.Target> ts = new ArrayList<>();
        for (String t : targets) {
            ts.add(target(t));
        }
        ServiceConfig config = ServiceConfig.of(name, List.of(domain), agentIds != null ? agentIds : hostAgents(), ts);
        try {
            StoredService s = services.create(config, true, ProxyServices.SHELL);
            System.out.println("Added service " + s.name() + " (" + s.id() + ") revision " + s.revision() + " on "
                    + s.config().agentIds().size() + " agent(s)");
        } catch (ApiException e) {
            System.err.println(Errors.describe(e));
        }
        return null;
    }

    /** {@code host:port} or {@code [v6]:port}; a port that is not a number is 0, which validation refuses. */
    static ServiceConfig.Target target(String t) {
        int colon = t.lastIndexOf(':');
        String host = colon > 0 ? t.substring(0, colon) : t;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(t.substring(colon + 1)) : 0;
        } catch (NumberFormatException e) {
            port = 0;
        }
        return new ServiceConfig.Target(host, port, 1, null, null);
    }

    private List<String> hostAgents() {
        List<String> ids = new ArrayList<>();
        for (AgentInfo a : agents.list()) {
            if (a.role() != AgentInfo.Role.EDGE) {
                ids.add(a.id());
            }
        }
        return ids;
    }
}
