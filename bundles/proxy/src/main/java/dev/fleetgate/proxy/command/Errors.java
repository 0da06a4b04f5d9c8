package dev.fleetgate.proxy.command;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.StoredService;

final class Errors {
    private Errors() {}

    /** @return the service named or with this id, or null after telling the shell user there is none */
    static StoredService service(ProxyServices services, String nameOrId) {
        return services.findByNameOrId(nameOrId).orElseGet(() -> {
            System.err.println("No service named or with id " + nameOrId);
            return null;
        });
    }

    static String describe(ApiException e) {
        StringBuilder sb = new StringBuilder(e.getMessage());
        for (FieldError f : e.errors()) {
            sb.append(System.lineSeparator())
                    .append("  ")
                    .append(f.field())
                    .append(": ")
                    .append(f.message());
        }
        return sb.toString();
    }
}
