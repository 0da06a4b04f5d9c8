package dev.fleetgate.proxy.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.proxy.internal.StoredService;

/** {@code fleetgate:service-remove <name|id>}. */
@Command(scope = "fleetgate", name = "service-remove", description = "Removes a service and frees its domains")
@Service
public class ServiceRemoveCommand extends ServiceCommand {

    @Override
    void run(StoredService s) {
        try {
            services.delete(s.id());
            System.out.println("Removed service " + s.name() + " (" + s.id() + ")");
        } catch (ApiException e) {
            System.err.println(Errors.describe(e));
        }
    }
}
