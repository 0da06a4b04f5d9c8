package dev.fleetgate.security.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.fleetgate.security.User;
import dev.fleetgate.security.UserService;

@Command(scope = "fleetgate", name = "users", description = "Lists the Fleetgate users and their roles")
@Service
public class UsersCommand implements Action {

    @Reference
    UserService users;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Username");
        table.column("Roles");
        table.column("Created");
        for (User u : users.list()) {
            table.addRow()
                    .addContent(
                            u.username(),
                            String.join(",", u.roles().stream().sorted().toList()),
                            u.createdAt().toString());
        }
        table.print(System.out);
        return null;
    }
}
