package dev.fleetgate.dns.command;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.dns.internal.Reconciler;
import dev.fleetgate.dns.internal.RecordPlanner;
import dev.fleetgate.dns.internal.RecordStore;
import dev.fleetgate.dns.internal.StoredZone;
import dev.fleetgate.dns.internal.TrackedRecord;
import dev.fleetgate.dns.internal.ZoneService;
import dev.fleetgate.dns.rest.DnsJson;

/** {@code fleetgate:dns-records}: the records Fleetgate keeps, and domains that get none. */
@Command(scope = "fleetgate", name = "dns-records", description = "Lists the DNS records Fleetgate keeps for services")
@Service
public class DnsRecordsCommand implements Action {

    @Reference
    ZoneService zones;

    @Reference
    RecordStore records;

    @Reference
    Reconciler reconciler;

    @Override
    public Object execute() {
        Map<UUID, String> names = new HashMap<>();
        for (StoredZone z : zones.list()) {
            names.put(z.id(), z.zone());
        }
        ShellTable table = new ShellTable();
        table.column("Domain");
        table.column("Type");
        table.column("Value");
        table.column("TTL").alignRight();
        table.column("Zone");
        table.column("State");
        table.column("Error");
        for (TrackedRecord r : records.list()) {
            table.addRow()
                    .addContent(
                            r.name(),
                            r.type(),
                            r.value(),
                            r.ttl(),
                            names.getOrDefault(r.zoneId(), "?") + ".",
                            DnsJson.state(r) + (Boolean.TRUE.equals(r.adopted()) ? " (adopted)" : ""),
                            r.lastError() == null ? "" : r.lastError());
        }
        for (RecordPlanner.Unresolved u : reconciler.unresolved()) {
            table.addRow()
                    .addContent(
                            u.domain(),
                            "",
                            "",
                            "",
                            names.getOrDefault(u.zoneId(), "?") + ".",
                            "NO_ADDRESS",
                            u.reason());
        }
        table.print(System.out);
        return null;
    }
}
