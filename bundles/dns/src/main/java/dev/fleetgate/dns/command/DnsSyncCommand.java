package dev.fleetgate.dns.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.dns.internal.Reconciler;
import dev.fleetgate.dns.internal.SyncResult;

/** {@code fleetgate:dns-sync}: a full reconcile now, ignoring backoff; prints what it did. */
@Command(
        scope = "fleetgate",
        name = "dns-sync",
        description = "Reconciles every zone now and sends every record again (ignores retry backoff)")
@Service
public class DnsSyncCommand implements Action {

    @Reference
    Reconciler reconciler;

    @Override
    public Object execute() {
        SyncResult r = reconciler.syncNow();
        if (r.busy()) {
            System.out.println("Another core is reconciling DNS records right now; try again in a moment.");
            return null;
        }
        if (r.zones().isEmpty()) {
            System.out.println("Nothing to send (" + r.millis() + " ms).");
        }
        for (SyncResult.Zone z : r.zones()) {
            System.out.println(z.zone() + ".: "
                    + (z.error() == null
                            ? z.added() + " record(s) sent, " + z.deleted() + " deleted"
                            : "FAILED: " + z.error() + " (next attempt " + z.nextAttempt() + ")"));
        }
        return null;
    }
}
