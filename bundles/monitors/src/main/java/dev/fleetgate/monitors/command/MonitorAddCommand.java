package dev.fleetgate.monitors.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.monitors.internal.MonitorDraft;
import dev.fleetgate.monitors.internal.MonitorService;
import dev.fleetgate.monitors.internal.StoredMonitor;

/** {@code fleetgate:monitor-add NAME TARGET -a AGENT…}: adds a monitor, validated like the REST API. */
@Command(scope = "fleetgate", name = "monitor-add", description = "Adds an uptime monitor")
@Service
public class MonitorAddCommand implements Action {

    @Reference
    MonitorService monitors;

    @Argument(index = 0, name = "name", required = true, description = "Unique name")
    String name;

    @Argument(
            index = 1,
            name = "target",
            required = true,
            description = "http(s) URL (http, json), host[:port] (tls) or DNS name (dns); "
                    + "with --service a path (http, json), :port (tls) or - (dns)")
    String target;

    @Option(name = "-t", aliases = "--type", description = "http (default), tls, dns or json")
    String type = "http";

    @Option(name = "-r", aliases = "--record-type", description = "dns: record type (A, AAAA, CNAME, MX, NS, TXT, …)")
    String recordType;

    @Option(name = "--resolver", description = "dns: resolver host[:port] (default: the agent's)")
    String resolver;

    @Option(
            name = "-e",
            aliases = "--expect-value",
            multiValued = true,
            description = "dns: expected value (repeatable)")
    List<String> values;

    @Option(
            name = "-k",
            aliases = "--confirm-agents",
            description = "DOWN needs this many failing agents " + "(default: all that reported)")
    Integer confirmAgents;

    @Option(name = "--service", description = "Attach to a proxy service (id): its domains are checked")
    String serviceId;

    @Option(
            name = "-a",
            aliases = "--agent",
            required = true,
            multiValued = true,
            description = "Agent id or name that runs the checks (repeat for several)")
    List<String> agents;

    @Option(
            name = "-i",
            aliases = "--interval",
            description = "Seconds between checks, minIntervalSeconds (10) to 86400 (default 60)")
    int interval = 60;

    @Option(name = "-s", aliases = "--status", multiValued = true, description = "Expected HTTP status (repeatable)")
    List<Integer> statuses;

    @Option(name = "-c", aliases = "--confirmations", description = "Failures in a row before DOWN (default 2)")
    int confirmations = 2;

    @Option(name = "--no-redirects", description = "Do not follow redirects")
    boolean noRedirects;

    @Override
    public Object execute() {
        try {
            StoredMonitor m = monitors.create(draft());
            System.out.println("Monitor " + m.name() + " added: " + m.id());
        } catch (ApiException e) {
            System.err.println(e.getMessage());
            e.errors().forEach(f -> System.err.println("  " + f.field() + ": " + f.message()));
        }
        return null;
    }

    /** The options as a monitor definition; {@code -} as the target of an attached monitor is no target. */
    MonitorDraft draft() {
        MonitorDraft.Expect expect =
                statuses == null && values == null ? null : new MonitorDraft.Expect(statuses, null, null, values, null);
        return new MonitorDraft(
                name,
                type,
                serviceId != null && "-".equals(target) ? null : target,
                interval,
                agents,
                expect,
                !noRedirects,
                confirmations,
                null,
                recordType,
                resolver,
                null,
                confirmAgents,
                serviceId);
    }
}
