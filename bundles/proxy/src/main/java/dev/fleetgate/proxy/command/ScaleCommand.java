package dev.fleetgate.proxy.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.StoredService;

/** {@code fleetgate:scale <name|id> <replicas>}: sets the replica count of a container service. */
@Command(scope = "fleetgate", name = "scale", description = "Sets the replica count of a service's managed containers")
@Service
public class ScaleCommand extends ServiceCommand {

    @Argument(index = 1, name = "replicas", required = true, description = "Replicas per placed agent (0-100)")
    int replicas;

    @Override
    void run(StoredService s) {
        try {
            StoredService scaled = services.scale(s.id(), replicas, ProxyServices.SHELL);
            System.out.println("Service " + scaled.name() + " (" + scaled.id() + ") now wants " + replicas
                    + " replica(s) per agent, revision " + scaled.revision());
        } catch (ApiException e) {
            System.err.println(Errors.describe(e));
        }
    }
}
