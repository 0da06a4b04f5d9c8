package dev.fleetgate.api;

import java.util.List;

/**
 * An error a REST call answers with, rendered as {@code application/problem+json}.
 *
 * <p>Throw it from a resource or a service the resource calls; the REST host maps it to
 * the status and a problem document with {@code title}, {@code status}, {@code detail}
 * and, for validation errors, {@code errors: [{field, message}]}.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<FieldError> errors;

    public ApiException(int status, String message) {
        this(status, message, List.of());
    }

    public ApiException(int status, String message, List<FieldError> errors) {
        super(message);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    /** 400 with the fields at fault. */
    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(400, "Invalid request", errors);
    }

    /** 400 for one field. */
    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found");
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
