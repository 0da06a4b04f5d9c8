package dev.fleetgate.rest.internal;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import dev.fleetgate.api.ApiException;

/** {@link ApiException} → its status and field errors. */
public final class ApiExceptionMapper implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
        return Problems.response(e.status(), e.getMessage(), e.errors());
    }
}
