package dev.fleetgate.proxy.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.ServiceConfig;
import dev.fleetgate.proxy.internal.StoredService;

/** {@code fleetgate:services}: lists the services. */
@Command(scope = "fleetgate", name = "services", description = "Lists the proxied services")
@Service
public class ServicesCommand implements Action {

    @Reference
    ProxyServices services;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Id");
        table.column("Revision").alignRight();
        table.column("Domains");
        table.column("Targets");
        table.column("Agents").alignRight();
        for (StoredService s : services.list()) {
            ServiceConfig c = s.config();
            table.addRow()
                    .addContent(
                            c.name(),
                            s.id(),
                            s.revision(),
                            String.join(",", c.domains()),
                            targets(c),
                            c.agentIds().size());
        }
        table.print(System.out);
        return null;
    }

    private static String targets(ServiceConfig c) {
        StringBuilder sb = new StringBuilder();
        for (ServiceConfig.Target t : c.upstream().targets()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(t.host().indexOf(':') >= 0 ? "[" + t.host() + "]" : t.host())
                    .append(':')
                    .append(t.port());
        }
        if (c.containers() != null) {
            sb.append(sb.length() > 0 ? "," : "")
                    .append(c.containers().replicas())
                    .append("x ")
                    .append(c.containers().image());
        }
        return sb.toString();
    }
}
