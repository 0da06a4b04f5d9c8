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

/** {@code fleetgate:service-remove <name|id>}. */
@Command(scope = "fleetgate", name = "service-remove", description = "Removes a service and frees its domains")
@Service
public class ServiceRemoveCommand implements Action {

    @Argument(index = 0, name = "service", required = true, description = "Service name or id")
    @Completion(ServiceNameCompleter.class)
    String service;

    @Reference
    ProxyServices services;

    @Override
    public Object execute() {
        StoredService s = Errors.service(services, service);
        if (s == null) {
            return null;
        }
        try {
            services.delete(s.id());
            System.out.println("Removed service " + s.name() + " (" + s.id() + ")");
        } catch (ApiException e) {
            System.err.println(Errors.describe(e));
        }
        return null;
    }
}
