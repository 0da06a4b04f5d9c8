package dev.fleetgate.dns.command;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.dns.internal.RecordStore;
import dev.fleetgate.dns.internal.StoredZone;
import dev.fleetgate.dns.internal.TrackedRecord;
import dev.fleetgate.dns.internal.ZoneService;
import dev.fleetgate.dns.rest.DnsJson;

/** {@code fleetgate:dns-zones}: lists the zones and how their sync stands. */
@Command(scope = "fleetgate", name = "dns-zones", description = "Lists the DNS zones and their sync status")
@Service
public class DnsZonesCommand implements Action {

    @Reference
    ZoneService zones;

    @Reference
    RecordStore records;

    @Override
    public Object execute() {
        Map<UUID, List<TrackedRecord>> byZone =
                records.list().stream().collect(Collectors.groupingBy(TrackedRecord::zoneId));
        ShellTable table = new ShellTable();
        table.column("Zone");
        table.column("Id");
        table.column("Provider");
        table.column("Server");
        table.column("Key");
        table.column("TTL").alignRight();
        table.column("Synced").alignRight();
        table.column("Pending").alignRight();
        table.column("Failed").alignRight();
        table.column("Last sync");
        table.column("Last error");
        for (StoredZone z : zones.list()) {
            DnsJson.Counts c = DnsJson.count(byZone.getOrDefault(z.id(), List.of()));
            String server =
                    z.server().indexOf(':') >= 0 ? "[" + z.server() + "]:" + z.port() : z.server() + ":" + z.port();
            table.addRow()
                    .addContent(
                            z.zone() + ".",
                            z.id(),
                            z.provider(),
                            server,
                            z.tsigKeyName() == null ? "(unsigned)" : z.tsigKeyName() + " " + z.tsigAlgorithm(),
                            z.ttl(),
                            c.synced(),
                            c.pending() + c.deleting(),
                            c.failed(),
                            z.status().lastSyncAt() == null ? "" : z.status().lastSyncAt(),
                            z.status().lastError() == null ? "" : z.status().lastError());
        }
        table.print(System.out);
        return null;
    }
}
