package dev.fleetgate.pages.command;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.pages.internal.PagesService;
import dev.fleetgate.pages.internal.PagesStore;
import dev.fleetgate.proxy.ServiceDirectory;

/** {@code fleetgate:maintenance <service> on|off}: switches a service's maintenance page (503 + Retry-After). */
@Command(
        scope = "fleetgate",
        name = "maintenance",
        description = "Switches the maintenance mode of a service on or off")
@Service
public class MaintenanceCommand implements Action {

    @Reference
    PagesService pages;

    @Reference
    ServiceDirectory services;

    @Argument(index = 0, name = "service", description = "Service name or id", required = true)
    String service;

    @Argument(index = 1, name = "state", description = "on or off", required = true)
    String state;

    @Option(name = "--message", aliases = "-m", description = "Message shown on the maintenance page")
    String message;

    @Option(name = "--retry-after", description = "Retry-After in seconds")
    Integer retryAfter;

    @Option(
            name = "--allow",
            description = "Client address or CIDR block still served (repeatable)",
            multiValued = true)
    List<String> allow;

    @Override
    public Object execute() {
        if (!"on".equals(state) && !"off".equals(state)) {
            System.err.println("state must be on or off");
            return null;
        }
        ServiceDirectory.ServiceInfo svc = services.service(service)
                .or(() -> services.services().stream()
                        .filter(s -> s.name().equals(service))
                        .findFirst())
                .orElse(null);
        if (svc == null) {
            System.err.println("No service " + service);
            return null;
        }
        if (retryAfter != null && (retryAfter < 1 || retryAfter > 604_800)) {
            System.err.println("--retry-after must be 1..604800");
            return null;
        }
        List<String> cidrs = new ArrayList<>();
        for (String a : allow == null ? List.<String>of() : allow) {
            String c = PagesService.cidr(a);
            if (c == null) {
                System.err.println("--allow " + a + ": not an address or CIDR block");
                return null;
            }
            cidrs.add(c);
        }
        UUID id = UUID.fromString(svc.id());
        PagesStore.Maintenance old = pages.maintenance(id).orElse(null);
        boolean on = "on".equals(state);
        pages.putMaintenance(new PagesStore.Maintenance(
                id,
                on,
                message != null ? message : old == null ? null : old.message(),
                retryAfter != null ? retryAfter : old == null ? null : old.retryAfterSeconds(),
                allow != null ? cidrs : old == null ? List.of() : old.allow(),
                null,
                null));
        System.out.println("Maintenance of " + svc.name() + " is " + state);
        return null;
    }
}
