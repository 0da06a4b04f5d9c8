package dev.fleetgate.security.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.security.UserService;
import dev.fleetgate.security.internal.TokenService;

@Command(scope = "fleetgate", name = "user-delete", description = "Deletes a Fleetgate user (never the last admin)")
@Service
public class UserDeleteCommand implements Action {

    @Argument(index = 0, name = "username", required = true)
    String username;

    @Reference
    UserService users;

    @Reference
    TokenService tokens;

    @Override
    public Object execute() {
        try {
            users.delete(username);
            tokens.forget(username);
            System.out.println("Deleted user " + username);
        } catch (ApiException e) {
            throw new IllegalArgumentException(Passwords.describe(e));
        }
        return null;
    }
}
