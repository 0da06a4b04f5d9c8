package dev.fleetgate.certificates.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.certificates.internal.CertificateService;
import dev.fleetgate.certificates.internal.OcspStore;
import dev.fleetgate.certificates.internal.StoredCertificate;

/** {@code fleetgate:certs}: the certificates, soonest expiry first, with state, OCSP status and last error. */
@Command(
        scope = "fleetgate",
        name = "certs",
        description = "Lists the certificates, their state, expiry and last error")
@Service
public class CertsCommand implements Action {

    @Reference
    CertificateService certificates;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Domains");
        table.column("Source");
        table.column("State");
        table.column("Not after");
        table.column("Next renewal");
        table.column("OCSP");
        table.column("Error");
        java.util.Map<java.util.UUID, OcspStore.State> ocsp = certificates.ocspStates();
        for (StoredCertificate c : certificates.list()) {
            OcspStore.State o = ocsp.get(c.id());
            table.addRow()
                    .addContent(
                            c.id(),
                            String.join(",", c.domains()),
                            c.source(),
                            c.state(),
                            c.notAfter() == null ? "-" : c.notAfter(),
                            c.acme() && c.certPem() != null ? c.nextAttemptAt() : "-",
                            o == null || o.version() != c.version() ? "-" : o.status(),
                            c.error() == null ? "" : c.error());
        }
        table.print(System.out);
        return null;
    }
}
