package dev.fleetgate.agents.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.agents.internal.Enrolment;

/** {@code fleetgate:enroll-token-revoke <id>}: revokes an open enrolment token, as {@code DELETE /agents/enrollment-tokens/{id}}. */
@Service
@Command(
        scope = "fleetgate",
        name = "enroll-token-revoke",
        description = "Revokes an open enrolment token (id from fleetgate:enroll-tokens)")
public class EnrollTokenRevokeCommand implements Action {

    @Argument(index = 0, name = "id", description = "The token's id: 16 hex digits", required = true)
    String id;

    @Reference
    Enrolment enrolment;

    @Override
    public Object execute() {
        enrolment.revoke(id);
        System.out.println("Revoked " + id);
        return null;
    }
}
