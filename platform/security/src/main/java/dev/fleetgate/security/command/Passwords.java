package dev.fleetgate.security.command;

import java.io.IOException;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.console.Session;

import dev.fleetgate.api.ApiException;

/** Shell helpers: masked password prompt, readable errors. */
final class Passwords {
    private Passwords() {}

    static String prompt(Session session) throws IOException {
        String first = session.readLine("Password: ", '*');
        String second = session.readLine("Repeat password: ", '*');
        if (first == null || !first.equals(second)) {
            throw new IllegalArgumentException("The passwords do not match");
        }
        return first;
    }

    static String describe(ApiException e) {
        if (e.errors().isEmpty()) {
            return e.getMessage();
        }
        return e.getMessage() + ": "
                + e.errors().stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
    }
}
