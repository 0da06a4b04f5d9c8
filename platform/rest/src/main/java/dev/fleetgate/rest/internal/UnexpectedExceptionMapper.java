package dev.fleetgate.rest.internal;

import java.util.UUID;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Anything unexpected → 500 with an opaque id; the stack trace goes to the log under that id. */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("REST request failed, error id {}", id, e);
        return Problems.response(500, "Internal error, id " + id);
    }
}
