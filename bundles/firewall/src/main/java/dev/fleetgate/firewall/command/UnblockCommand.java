package dev.fleetgate.firewall.command;

import java.util.UUID;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.firewall.internal.FirewallService;

/** {@code fleetgate:unblock <ip>}: removes a client's blocks (every scope, or one service's). */
@Command(scope = "fleetgate", name = "unblock", description = "Removes the blocks of a client address")
@Service
public class UnblockCommand implements Action {

    @Reference
    FirewallService firewall;

    @Argument(index = 0, name = "ip", description = "Client address", required = true)
    String ip;

    @Option(name = "--service", description = "Only the block on this service (id)")
    String service;

    @Override
    public Object execute() {
        UUID svc;
        try {
            svc = Options.serviceId(service);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return null;
        }
        int n = firewall.unblock(ip.strip().toLowerCase(java.util.Locale.ROOT), svc, svc == null);
        System.out.println(n == 0 ? "No block of " + ip : "Removed " + n + " block(s) of " + ip);
        return null;
    }
}
