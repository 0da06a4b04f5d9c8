package dev.fleetgate.proxy.command;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

final class Errors {
    private Errors() {
    }

    static String describe(ApiException e) {
        StringBuilder sb = new StringBuilder(e.getMessage());
        for (FieldError f : e.errors()) {
            sb.append(System.lineSeparator()).append("  ").append(f.field()).append(": ").append(f.message());
        }
        return sb.toString();
    }
}
