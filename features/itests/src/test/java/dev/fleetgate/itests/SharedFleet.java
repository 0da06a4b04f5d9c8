package dev.fleetgate.itests;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving end-to-end classes the run's {@link Fleet}: started by the first class that asks,
 * kept in the root context's store and stopped when the whole run ends. A fleet that failed to start is not
 * started again by the next class: every later class fails at once with the same cause.
 */
public final class SharedFleet implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedFleet.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Fleet.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Started started = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Started.class, k -> Started.start(), Started.class);
        if (started.failure != null) {
            throw new ParameterResolutionException("the shared fleet did not start", started.failure);
        }
        return started.fleet;
    }

    /** The outcome of the one start: the fleet or why it failed. */
    private static final class Started implements ExtensionContext.Store.CloseableResource {
        private final Fleet fleet;
        private final Throwable failure;

        private Started(Fleet fleet, Throwable failure) {
            this.fleet = fleet;
            this.failure = failure;
        }

        static Started start() {
            try {
                return new Started(Fleet.start(), null);
            } catch (Exception | AssertionError e) {
                return new Started(null, e);
            }
        }

        @Override
        public void close() {
            if (fleet != null) {
                fleet.close();
            }
        }
    }
}
