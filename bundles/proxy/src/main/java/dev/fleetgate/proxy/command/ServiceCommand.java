package dev.fleetgate.proxy.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.StoredService;

/**
 * A command on the service its first argument names (or gives the id of): it tells the shell user when there is
 * none, else runs {@link #run(StoredService)}. Karaf injects the fields of superclasses too.
 */
abstract class ServiceCommand implements Action {

    @Argument(index = 0, name = "service", required = true, description = "Service name or id")
    @Completion(ServiceNameCompleter.class)
    String service;

    @Reference
    ProxyServices services;

    @Override
    public Object execute() {
        StoredService s = Errors.service(services, service);
        if (s != null) {
            run(s);
        }
        return null;
    }

    /** Acts on the service found. */
    abstract void run(StoredService s);
}
