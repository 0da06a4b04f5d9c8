package dev.fleetgate.security.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.security.UserService;
import dev.fleetgate.security.internal.TokenService;

@Command(scope = "fleetgate", name = "user-password", description = "Sets a Fleetgate user's password")
@Service
public class UserPasswordCommand implements Action {

    @Argument(index = 0, name = "username", required = true)
    String username;

    @Option(
            name = "--password",
            aliases = "-p",
            description = "New password (kept in the shell history: prefer the prompt)")
    String password;

    @Reference
    Session session;

    @Reference
    UserService users;

    @Reference
    TokenService tokens;

    @Override
    public Object execute() throws Exception {
        String pw = password != null ? password : Passwords.prompt(session);
        try {
            users.changePassword(username, pw);
            tokens.forget(username); // its tokens were revoked: check them afresh here at once
            System.out.println("Password of " + username + " changed; their access tokens are revoked");
        } catch (ApiException e) {
            throw new IllegalArgumentException(Passwords.describe(e));
        }
        return null;
    }
}
