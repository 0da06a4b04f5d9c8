package dev.fleetgate.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.servlet.Servlet;
import javax.servlet.ServletConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.glassfish.jersey.servlet.ServletContainer;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Authenticator;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Threads;

/**
 * The servlet at {@code /api/v1/*}: one Jersey application holding every
 * {@link RestResource} service. When the set changes it builds a new application beside
 * the running one and swaps (see {@link ContainerSwitch}); Jersey's own reload would fail
 * the requests in flight.
 */
@Component(
        service = Servlet.class,
        configurationPid = "dev.fleetgate.rest",
        property = {
            "osgi.http.whiteboard.servlet.pattern=/api/v1/*",
            "osgi.http.whiteboard.servlet.name=fleetgate-rest",
            "osgi.http.whiteboard.servlet.asyncSupported:Boolean=true"
        })
@Designate(ocd = RestConfig.class)
public final class RestServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RestServlet.class);

    private final transient Map<Long, Object> resources = new ConcurrentSkipListMap<>();
    private static final long RETRY_MILLIS = 2_000;
    private final transient ScheduledExecutorService executor;
    private final transient ContainerSwitch<ServletContainer> containers;
    private final transient Debouncer debouncer;
    private volatile boolean destroyed;
    private final long maxBodyBytes;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Authenticator authenticator;

    @Activate
    public RestServlet(RestConfig config) {
        maxBodyBytes = Math.max(1024, config.maxBodyBytes());
        executor = Threads.scheduler("fleetgate-rest-builder");
        containers =
                new ContainerSwitch<>(ServletContainer::destroy, Duration.ofSeconds(config.drainSeconds()), executor);
        debouncer = new Debouncer(executor, config.debounceMillis(), this::rebuild);
    }

    @Reference(
            service = RestResource.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindResource(RestResource resource, Map<String, Object> properties) {
        resources.put((Long) properties.get(Constants.SERVICE_ID), resource);
        debouncer.trigger();
    }

    void unbindResource(RestResource resource, Map<String, Object> properties) {
        if (resources.remove((Long) properties.get(Constants.SERVICE_ID)) != null) {
            debouncer.trigger();
        }
    }

    @Deactivate
    void deactivate() {
        destroyed = true;
        executor.shutdownNow();
        containers.close();
    }

    /** Builds the first application at once so that the first request is served by it. */
    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        destroyed = false;
        try {
            executor.submit(this::rebuild).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("Could not build the REST application", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() {
        destroyed = true;
        containers.close();
        super.destroy();
    }

    @Override
    public void service(ServletRequest req, ServletResponse res) throws ServletException, IOException {
        HttpServletResponse response = (HttpServletResponse) res;
        if (authenticator == null) {
            problem(response, 503, "Authentication service unavailable");
            return;
        }
        ContainerSwitch.Lease<ServletContainer> lease = containers.acquire();
        if (lease == null) {
            problem(response, 503, "The REST application is starting");
            return;
        }
        LeasedRequest request = new LeasedRequest((HttpServletRequest) req, lease);
        try {
            lease.target().service(request, response);
        } finally {
            if (!request.isAsyncLeased()) {
                lease.release();
            }
        }
    }

    /** Runs on the builder thread only. */
    private void rebuild() {
        ServletConfig config = getServletConfig();
        if (config == null || destroyed) {
            return; // init() builds
        }
        List<Object> snapshot = List.copyOf(resources.values());
        ServletContainer next =
                new ServletContainer(JerseyApplications.create(snapshot, () -> authenticator, maxBodyBytes));
        Thread thread = Thread.currentThread();
        ClassLoader tccl = thread.getContextClassLoader();
        thread.setContextClassLoader(RestServlet.class.getClassLoader());
        try {
            next.init(config);
        } catch (ServletException | RuntimeException e) {
            LOG.error(
                    "REST application with {} services not started; keeping the previous one; retrying in {} ms",
                    snapshot.size(),
                    RETRY_MILLIS,
                    e);
            // Jersey finds its injection manager through META-INF/services of started bundles
            // (osgi-resource-locator): at boot under load jersey-hk2 may not be seen yet.
            executor.schedule(debouncer::trigger, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        } finally {
            thread.setContextClassLoader(tccl);
        }
        containers.swap(next);
        LOG.info("REST application mounted with {} services", snapshot.size());
    }

    private static void problem(HttpServletResponse response, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(Problems.MEDIA_TYPE);
        response.getOutputStream().write(Problems.json(status, detail).getBytes(StandardCharsets.UTF_8));
    }
}
