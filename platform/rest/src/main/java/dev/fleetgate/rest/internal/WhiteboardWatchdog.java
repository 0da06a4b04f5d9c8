package dev.fleetgate.rest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.dto.DTOConstants;
import org.osgi.service.http.runtime.dto.FailedServletDTO;
import org.osgi.service.http.runtime.dto.RuntimeDTO;
import org.osgi.service.http.runtime.dto.ServletContextDTO;
import org.osgi.service.http.runtime.dto.ServletDTO;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Threads;

/**
 * Gets whiteboard servlets that the HTTP whiteboard left waiting for the default context served.
 *
 * <p>Pax Web 8.0.34 can lose a servlet registered while it is adding its default context: it matches the servlet
 * against the contexts before the default one counts as registered, and stores the unmatched servlet only after it
 * re-matched every waiting element. The servlet then waits for a context that already exists, and its paths answer
 * 404 until the next whiteboard context comes or goes (seen once: a core whose {@code /api/v1} never came up).
 * Every {@value #CHECK_SECONDS} s this component compares the servlet services that use the default context with
 * what the {@link HttpServiceRuntime} serves; when one has been left out for {@value #GRACE_SECONDS} s it adds and
 * removes a whiteboard context of its own, which makes Pax Web match the waiting servlets again.
 */
@Component(immediate = true)
public final class WhiteboardWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(WhiteboardWatchdog.class);
    static final int CHECK_SECONDS = 5;
    static final int GRACE_SECONDS = 10;
    /** At most one nudge this often: a servlet a nudge does not fix is logged, not hammered. */
    static final Duration NUDGE_EVERY = Duration.ofSeconds(60);

    static final String NUDGE_CONTEXT = "fleetgate-whiteboard-nudge";
    /** Servlets of the default context: no selector of their own. */
    private static final String SERVLETS = "(&(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=*)(!("
            + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=*)))";

    private final BundleContext context;
    private final HttpServiceRuntime runtime;
    private final LongSupplier nanos;
    /** Null in tests, which run {@link #check()} themselves. */
    private ScheduledExecutorService timer;
    /** Service id → when it was first seen left out (nanos). */
    private final Map<Long, Long> waiting = new HashMap<>();

    /** When the last nudge was (nanos); at start, as if one had just become allowed. */
    private long lastNudge;

    @Activate
    public WhiteboardWatchdog(BundleContext context, @Reference HttpServiceRuntime runtime) {
        this(context, runtime, System::nanoTime);
        timer = Threads.every("fleetgate-whiteboard-watchdog", Duration.ofSeconds(CHECK_SECONDS), this::checkQuietly);
    }

    /** For tests: checks run by {@link #check()}, on the given clock. */
    WhiteboardWatchdog(BundleContext context, HttpServiceRuntime runtime, LongSupplier nanos) {
        this.context = context;
        this.runtime = runtime;
        this.nanos = nanos;
        this.lastNudge = nanos.getAsLong() - NUDGE_EVERY.toNanos();
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.debug("Whiteboard check failed", e);
        }
    }

    /** One check; returns the names of the servlets it nudged the whiteboard for (empty when none). */
    synchronized List<String> check() {
        RuntimeDTO dto = runtime.getRuntimeDTO();
        if (!hasDefaultContext(dto)) {
            LOG.debug("No default context in the HTTP runtime yet");
            waiting.clear();
            return List.of(); // nothing to match against yet
        }
        Set<Long> served = accounted(dto);
        long now = nanos.getAsLong();
        Set<Long> present = new HashSet<>();
        List<String> overdue = new ArrayList<>();
        for (ServiceReference<Servlet> ref : servlets()) {
            long id = (Long) ref.getProperty(org.osgi.framework.Constants.SERVICE_ID);
            present.add(id);
            if (served.contains(id)) {
                waiting.remove(id);
                continue;
            }
            long since = waiting.computeIfAbsent(id, k -> now);
            if (now - since >= TimeUnit.SECONDS.toNanos(GRACE_SECONDS)) {
                overdue.add(String.valueOf(ref.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME)));
            }
        }
        waiting.keySet().retainAll(present);
        LOG.debug("{} servlets of the default context, {} of them waiting", present.size(), waiting.size());
        if (overdue.isEmpty() || now - lastNudge < NUDGE_EVERY.toNanos()) {
            return List.of();
        }
        LOG.warn(
                "The HTTP whiteboard has not served {} for {} s or more although its default context exists;"
                        + " adding and removing a context to have it matched again",
                overdue,
                GRACE_SECONDS);
        nudge();
        lastNudge = now;
        return overdue;
    }

    private List<ServiceReference<Servlet>> servlets() {
        try {
            return new ArrayList<>(context.getServiceReferences(Servlet.class, SERVLETS));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A context added and removed again: Pax Web re-matches every waiting element on each. */
    private void nudge() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME, NUDGE_CONTEXT);
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH, "/" + NUDGE_CONTEXT);
        ServiceRegistration<ServletContextHelper> registration = context.registerService(
                ServletContextHelper.class, new ServletContextHelper(context.getBundle()) {}, properties);
        registration.unregister();
    }

    private static boolean hasDefaultContext(RuntimeDTO dto) {
        if (dto.servletContextDTOs != null) {
            for (ServletContextDTO c : dto.servletContextDTOs) {
                if (HttpWhiteboardConstants.HTTP_WHITEBOARD_DEFAULT_CONTEXT_NAME.equals(c.name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Service ids the runtime has dealt with: served in a context, or failed for a reason of their own (a shadowed
     * pattern, an exception in init). Failed for want of a matching context is the case this component is for.
     */
    static Set<Long> accounted(RuntimeDTO dto) {
        Set<Long> ids = new HashSet<>();
        if (dto.servletContextDTOs != null) {
            for (ServletContextDTO c : dto.servletContextDTOs) {
                if (c.servletDTOs != null) {
                    for (ServletDTO s : c.servletDTOs) {
                        ids.add(s.serviceId);
                    }
                }
            }
        }
        if (dto.failedServletDTOs != null) {
            for (FailedServletDTO f : dto.failedServletDTOs) {
                if (f.failureReason != DTOConstants.FAILURE_REASON_NO_SERVLET_CONTEXT_MATCHING) {
                    ids.add(f.serviceId);
                }
            }
        }
        return ids;
    }
}
