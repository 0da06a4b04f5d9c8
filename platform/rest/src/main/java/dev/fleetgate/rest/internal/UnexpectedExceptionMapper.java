package dev.fleetgate.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything no other mapper took, as problem+json and never with a stack trace for the client:
 * an unreachable database → 503 with {@code Retry-After}; text PostgreSQL refuses (U+0000)
 * → 400; the rest → 500 with an opaque id. The log gets one line per failure and the stack
 * trace of a given failure site at most once a minute, so a client repeating a bad request
 * cannot flood it.
 */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);
    static final long TRACE_INTERVAL_MILLIS = 60_000;
    private static final int MAX_SITES = 1_000;

    private final LongSupplier clock;
    private final Map<String, Long> lastTrace = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_SITES;
        }
    };

    public UnexpectedExceptionMapper() {
        this(System::currentTimeMillis);
    }

    UnexpectedExceptionMapper(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    @Override
    public Response toResponse(Throwable e) {
        if (DatabaseErrors.unavailable(e)) {
            log("Database unavailable", e);
            return Response.fromResponse(Problems.response(503, "The database is unavailable; try again shortly"))
                    .header(HttpHeaders.RETRY_AFTER, DatabaseErrors.RETRY_AFTER_SECONDS)
                    .build();
        }
        if (DatabaseErrors.invalidText(e)) {
            log("Text refused by the database", e);
            return Problems.response(400, "Text in the request cannot be stored (NUL character or invalid encoding)");
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        log("REST request failed, error id " + id, e);
        return Problems.response(500, "Internal error, id " + id);
    }

    /** @return whether the stack trace was logged */
    boolean log(String what, Throwable e) {
        String site = site(e);
        long now = clock.getAsLong();
        boolean trace;
        synchronized (lastTrace) {
            Long last = lastTrace.get(site);
            trace = last == null || now - last >= TRACE_INTERVAL_MILLIS;
            if (trace) {
                lastTrace.put(site, now);
            }
        }
        if (trace) {
            LOG.error("{}", what, e);
        } else {
            LOG.warn("{}: {} (stack trace of this failure logged at most once a minute)", what, e.toString());
        }
        return trace;
    }

    private static String site(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        StackTraceElement[] frames = root.getStackTrace();
        return root.getClass().getName() + '@' + (frames.length == 0 ? "?" : frames[0].toString());
    }
}
