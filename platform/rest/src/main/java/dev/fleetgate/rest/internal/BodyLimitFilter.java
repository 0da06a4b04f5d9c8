package dev.fleetgate.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ReaderInterceptor;
import javax.ws.rs.ext.ReaderInterceptorContext;

import dev.fleetgate.api.BodyLimit;

/**
 * Refuses request bodies larger than the matched method's limit with 413, before they are
 * parsed: by {@code Content-Length} before a byte is read, and by counting the bytes of a
 * chunked body as the JSON provider reads it. The limit is the method's (or class's)
 * {@link BodyLimit}, else the host's default; a method whose entity is an
 * {@link InputStream} without {@link BodyLimit} streams the body itself and limits it itself.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public final class BodyLimitFilter implements ContainerRequestFilter, ContainerResponseFilter, ReaderInterceptor {
    static final String STREAM_PROPERTY = "dev.fleetgate.rest.limitedBody";

    /** At most this much of a refused body is read before the answer goes out (see {@link #filter(ContainerRequestContext, ContainerResponseContext)}). */
    static final int DRAIN_MAX = 64 * 1024;

    private static final long SELF_LIMITED = -1;

    private final long defaultLimit;

    @Context
    private ResourceInfo resourceInfo;

    public BodyLimitFilter(long defaultLimit) {
        this.defaultLimit = defaultLimit;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        long limit = limit(resourceInfo.getResourceMethod(), resourceInfo.getResourceClass(), defaultLimit);
        if (limit == SELF_LIMITED) {
            return;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    request.abortWith(tooLarge(limit));
                    return;
                }
            } catch (NumberFormatException e) {
                request.abortWith(Problems.response(400, "Invalid Content-Length"));
                return;
            }
        }
        // Not request.hasEntity(): it reads ahead, and nothing may be read before authentication.
        LimitedInputStream limited = new LimitedInputStream(request.getEntityStream(), limit);
        request.setEntityStream(limited);
        request.setProperty(STREAM_PROPERTY, limited);
    }

    /**
     * A body refused before it was read to its end (a JSON array where an object is expected fails at the
     * first token) left bytes in the socket: the server then closes a connection with unread data, the
     * kernel sends a reset, and the client may lose the answer (4xx) it was about to read. So the rest of a
     * refused body is read and dropped first, up to {@value #DRAIN_MAX} bytes; a larger one is still cut
     * (by design for 413). Not for 401: nothing is read for a caller that did not authenticate.
     */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status >= 400 && status != 401 && request.getProperty(STREAM_PROPERTY) instanceof LimitedInputStream l) {
            l.drain(DRAIN_MAX);
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        try {
            return context.proceed();
        } catch (IOException | RuntimeException e) {
            if (context.getProperty(STREAM_PROPERTY) instanceof LimitedInputStream l && l.exceeded()) {
                throw new WebApplicationException(e, tooLarge(l.limit));
            }
            throw e;
        }
    }

    /** @return the limit for a method, or -1 when it streams its body without a declared limit */
    static long limit(Method method, Class<?> type, long defaultLimit) {
        BodyLimit declared = method == null ? null : method.getAnnotation(BodyLimit.class);
        if (declared == null && type != null) {
            declared = type.getAnnotation(BodyLimit.class);
        }
        if (declared != null) {
            return declared.value();
        }
        return method != null && streamsBody(method) ? SELF_LIMITED : defaultLimit;
    }

    private static boolean streamsBody(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            if (annotations[i].length == 0
                    && (InputStream.class.isAssignableFrom(types[i]) || Reader.class.isAssignableFrom(types[i]))) {
                return true;
            }
        }
        return false;
    }

    static Response tooLarge(long limit) {
        return Problems.response(413, "Request body larger than " + limit + " bytes");
    }

    /** Counts what is read and fails once more than {@code limit} bytes came. */
    static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long count;
        private boolean exceeded;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        boolean exceeded() {
            return exceeded;
        }

        /** Reads and drops what is left, at most {@code max} bytes; never fails (a closed or cut stream ends it). */
        void drain(int max) {
            if (exceeded) {
                return;
            }
            byte[] buffer = new byte[8192];
            long left = max;
            try {
                while (left > 0) {
                    int n = super.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        return;
                    }
                    left -= n;
                }
            } catch (IOException | RuntimeException e) {
                // closed, reset or timed out: the answer goes out as it would have
            }
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, Math.max(1, limit - count + 1)));
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, Math.max(1, limit - count + 1)));
            add(s);
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > limit) {
                exceeded = true;
                throw new IOException("Request body larger than " + limit + " bytes");
            }
        }
    }
}
