package dev.fleetgate.rest.internal;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

/**
 * JAX-RS errors (404 unknown path, 405, 406, 415 …) → problem with the same status and
 * headers. A response a resource built itself (with an entity) passes unchanged.
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity()) {
            return original;
        }
        int status = original.getStatus();
        Response.ResponseBuilder b = Response.fromResponse(original)
                .type(Problems.MEDIA)
                .entity(Problems.problem(status, detail(e, status), java.util.List.of()));
        return b.build();
    }

    private static String detail(WebApplicationException e, int status) {
        if (status == 404) {
            return "No such resource";
        }
        String m = e.getMessage();
        return m == null || m.startsWith("HTTP ") ? Problems.title(status) : m;
    }
}
