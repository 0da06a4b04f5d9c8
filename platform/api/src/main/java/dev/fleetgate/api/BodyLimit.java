package dev.fleetgate.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest request body a resource method (or every method of a resource class)
 * accepts, in bytes, instead of the REST host's global limit ({@code maxBodyBytes} of PID
 * {@code dev.fleetgate.rest}, 1 MiB by default). The host checks {@code Content-Length}
 * before anything is read and counts the bytes of a chunked body; a larger body gets 413.
 *
 * <p>A method whose entity parameter is an {@link java.io.InputStream} streams the body
 * itself: without this annotation the host does not limit it, and the method must.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface BodyLimit {
    /** @return the limit in bytes */
    long value();
}
