package dev.fleetgate.proxy.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.StoredService;

/**
 * {@code fleetgate:service-rollback <name|id> <revision>}: applies a kept revision's configuration as a new
 * revision, as {@code POST /services/{id}/rollback} (the shell acts as an admin).
 */
@Command(
        scope = "fleetgate",
        name = "service-rollback",
        description = "Applies the configuration of a kept revision of a service as a new revision")
@Service
public class ServiceRollbackCommand extends ServiceCommand {

    @Argument(index = 1, name = "revision", required = true, description = "The revision to restore")
    int revision;

    @Override
    void run(StoredService s) {
        try {
            StoredService back = services.rollback(s.id(), revision, true, ProxyServices.SHELL);
            System.out.println("Service " + back.name() + " (" + back.id() + ") rolled back to the configuration of"
                    + " revision " + revision + ", now revision " + back.revision());
        } catch (ApiException e) {
            System.err.println(Errors.describe(e));
        }
    }
}
