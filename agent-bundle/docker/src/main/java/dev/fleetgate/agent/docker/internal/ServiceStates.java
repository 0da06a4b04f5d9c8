package dev.fleetgate.agent.docker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** {@code status.containers.services}: per desired service, replicas desired/running/ready, state and error. */
final class ServiceStates {

    private ServiceStates() {}

    static List<ServiceState> of(
            List<ContainerInfo> mine,
            Iterable<ServiceSpec> specs,
            Predicate<String> leaving,
            Set<String> published,
            Map<String, Failure> serviceFailures,
            Map<String, Failure> slotFailures) {
        List<ServiceState> states = new ArrayList<>();
        for (ServiceSpec spec : specs) {
            int running = 0;
            int total = 0;
            int ready = 0;
            boolean anyLeaving = false;
            for (ContainerInfo c : mine) {
                if (!spec.serviceId().equals(c.label(Labels.SERVICE))) {
                    continue;
                }
                if (leaving.test(c.id())) {
                    anyLeaving = true;
                    continue;
                }
                total++;
                running += c.running() ? 1 : 0;
                ready += published.contains(c.id()) ? 1 : 0;
            }
            String error = error(spec, serviceFailures, slotFailures);
            String state = error != null
                    ? "FAILED"
                    : ready == spec.replicas() && total == spec.replicas() && !anyLeaving ? "OK" : "SCALING";
            states.add(new ServiceState(spec.serviceId(), spec.replicas(), running, ready, state, error));
        }
        return states;
    }

    private static String error(
            ServiceSpec spec, Map<String, Failure> serviceFailures, Map<String, Failure> slotFailures) {
        Failure f = serviceFailures.get(spec.serviceId());
        if (f != null && f.error() != null) {
            return f.error();
        }
        for (int slot = 0; slot < spec.replicas(); slot++) {
            Failure crash = slotFailures.get(spec.serviceId() + "/" + slot);
            if (crash != null && crash.error() != null && crash.attempts() > 1) {
                return crash.error() + " (" + crash.attempts() + " times)";
            }
        }
        return null;
    }
}
