package dev.fleetgate.agents.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.agents.internal.Enrolment;

/** {@code fleetgate:enroll-token}: creates a single-use enrolment token. */
@Service
@Command(scope = "fleetgate", name = "enroll-token", description = "Creates a single-use agent enrolment token")
public class EnrollTokenCommand implements Action {

    @Option(name = "--name", description = "Name for the agent (used when the agent gives none)")
    String name;

    @Option(name = "--ttl", description = "Minutes until the token expires (default 60, at most 10080)")
    Integer ttlMinutes;

    @Reference
    Enrolment enrolment;

    @Override
    public Object execute() {
        Enrolment.Token t = enrolment.createToken(name, ttlMinutes, "karaf-shell");
        System.out.println("Token:   " + t.token());
        System.out.println("Expires: " + t.expiresAt());
        String install = t.installCommand(null);
        if (install != null) {
            // the shell does not know the host name agents reach the core by: CORE-HOST is to be replaced
            System.out.println("Install: " + install);
        }
        return null;
    }
}
