package dev.fleetgate.firewall.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.firewall.internal.FirewallService;
import dev.fleetgate.firewall.internal.FirewallStore;

/** {@code fleetgate:blocks}: the blocked clients (and shadow decisions), with their reason and expiry. */
@Command(scope = "fleetgate", name = "blocks", description = "Lists blocked clients")
@Service
public class BlocksCommand implements Action {

    @Reference
    FirewallService firewall;

    @Override
    public Object execute() {
        System.out.printf(
                "%-40s %-38s %-10s %-7s %-8s %-24s %s%n",
                "IP", "SCOPE", "DETECTOR", "ACTION", "MODE", "EXPIRES", "REASON");
        for (FirewallStore.Block b : firewall.blocks()) {
            System.out.printf(
                    "%-40s %-38s %-10s %-7s %-8s %-24s %s%n",
                    b.ip(),
                    b.scopeKey(),
                    b.detector(),
                    b.action(),
                    b.enforced() ? "enforce" : "shadow",
                    b.expiresAt(),
                    b.reason());
        }
        return null;
    }
}
