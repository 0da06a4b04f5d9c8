package dev.fleetgate.rest.internal;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;

/**
 * A request that holds a lease on its container until it is done: at the end of
 * {@code service()} for a plain request, or when its async processing completes.
 */
final class LeasedRequest extends HttpServletRequestWrapper {
    private final ContainerSwitch.Lease<?> lease;
    private volatile boolean asyncLeased;

    LeasedRequest(HttpServletRequest request, ContainerSwitch.Lease<?> lease) {
        super(request);
        this.lease = lease;
    }

    @Override
    public AsyncContext startAsync() {
        return track(super.startAsync());
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return track(super.startAsync(request, response));
    }

    /** @return whether async processing took over the lease */
    boolean isAsyncLeased() {
        return asyncLeased;
    }

    private AsyncContext track(AsyncContext context) {
        context.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                lease.release();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                // onComplete follows
            }

            @Override
            public void onError(AsyncEvent event) {
                lease.release();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                event.getAsyncContext().addListener(this); // keep tracking a restarted cycle
            }
        });
        asyncLeased = true;
        return context;
    }
}
