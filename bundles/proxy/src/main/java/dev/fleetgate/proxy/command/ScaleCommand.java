package dev.fleetgate.proxy.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.StoredService;

/** {@code fleetgate:scale <name|id> <replicas>}: sets the replica count of a container service. */
@Command(scope = "fleetgate", name = "scale", description = "Sets the replica count of a service's managed containers")
@Service
public class ScaleCommand implements Action {

    @Argument(index = 0, name = "service", required = true, description = "Service name or id")
    @Completion(ServiceNameCompleter.class)
    String service;

    @Argument(index = 1, name = "replicas", required = true, description = "Replicas per placed agent (0-100)")
    int replicas;

    @Reference
    ProxyServices services;

    @Override
    public Object execute() {
        StoredService s = Errors.service(services, service);
        if (s == null) {
            return null;
        }
        try {
            StoredService scaled = services.scale(s.id(), replicas, ProxyServices.SHELL);
            System.out.println("Service " + scaled.name() + " (" + scaled.id() + ") now wants " + replicas
                    + " replica(s) per agent, revision " + scaled.revision());
        } catch (ApiException e) {
            System.err.println(Errors.describe(e));
        }
        return null;
    }
}
