package dev.fleetgate.security.command;

import java.util.LinkedHashSet;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.security.User;
import dev.fleetgate.security.UserService;

@Command(scope = "fleetgate", name = "user-add", description = "Creates a Fleetgate user")
@Service
public class UserAddCommand implements Action {

    @Argument(index = 0, name = "username", description = "Login name", required = true)
    String username;

    @Argument(
            index = 1,
            name = "roles",
            description = "One or more of admin, operator, viewer",
            required = true,
            multiValued = true)
    @Completion(RoleCompleter.class)
    List<String> roles;

    @Option(
            name = "--password",
            aliases = "-p",
            description = "Password (kept in the shell history: prefer the prompt)")
    String password;

    @Reference
    Session session;

    @Reference
    UserService users;

    @Override
    public Object execute() throws Exception {
        String pw = password != null ? password : Passwords.prompt(session);
        try {
            User user = users.create(username, pw, new LinkedHashSet<>(roles));
            System.out.println("Created user " + user.username() + " with roles " + user.roles());
        } catch (ApiException e) {
            throw new IllegalArgumentException(Passwords.describe(e));
        }
        return null;
    }
}
