package dev.fleetgate.rest.internal;

import java.util.List;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import dev.fleetgate.api.FieldError;

/** Builds {@code application/problem+json} answers. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);

    private Problems() {}

    public static Problem problem(int status, String detail, List<FieldError> errors) {
        return new Problem("about:blank", title(status), status, detail, errors);
    }

    public static Response response(int status, String detail) {
        return response(status, detail, List.of());
    }

    public static Response response(int status, String detail, List<FieldError> errors) {
        return Response.status(status)
                .type(MEDIA)
                .entity(problem(status, detail, errors))
                .build();
    }

    /** The problem as JSON text, for answers written outside Jersey. */
    public static String json(int status, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"" + title(status) + "\",\"status\":" + status + ",\"detail\":\""
                + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return switch (status) {
            case 422 -> "Unprocessable Entity";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }
}
