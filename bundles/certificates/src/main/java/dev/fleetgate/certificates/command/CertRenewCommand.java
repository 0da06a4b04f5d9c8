package dev.fleetgate.certificates.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.certificates.internal.CertificateService;
import dev.fleetgate.certificates.internal.StoredCertificate;

/** {@code fleetgate:cert-renew <id|domain>}: orders a new certificate now (as POST /certificates/{id}/renew). */
@Command(
        scope = "fleetgate",
        name = "cert-renew",
        description = "Renews a certificate now (by id or one of its domains)")
@Service
public class CertRenewCommand implements Action {

    @Reference
    CertificateService certificates;

    @Argument(index = 0, name = "certificate", required = true, description = "certificate id or one of its domains")
    String certificate;

    @Override
    public Object execute() {
        List<StoredCertificate> match = certificates.list().stream()
                .filter(c ->
                        c.id().toString().equals(certificate) || c.domains().contains(certificate))
                .toList();
        if (match.size() != 1) {
            System.err.println(
                    match.isEmpty()
                            ? "No certificate " + certificate
                            : certificate + " names " + match.size() + " certificates; give the id");
            return null;
        }
        try {
            StoredCertificate c = certificates.renew(match.get(0).id());
            System.out.println("Renewal of " + c.id() + " (" + String.join(", ", c.domains()) + ") scheduled");
        } catch (ApiException e) {
            System.err.println(e.getMessage());
        }
        return null;
    }
}
