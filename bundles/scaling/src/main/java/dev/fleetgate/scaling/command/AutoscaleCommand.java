package dev.fleetgate.scaling.command;

import java.util.UUID;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.proxy.ServiceDirectory.ServiceInfo;
import dev.fleetgate.scaling.internal.AutoscalingService;
import dev.fleetgate.scaling.internal.AutoscalingStore;
import dev.fleetgate.scaling.internal.Policy;
import dev.fleetgate.scaling.internal.PolicyDraft;
import dev.fleetgate.scaling.internal.PolicyJson;

/**
 * {@code fleetgate:autoscale <service> [show|on|off|decisions]}: shows a service's autoscaling policy and its
 * latest decisions, switches it on (options change the stored settings) or off.
 */
@Command(scope = "fleetgate", name = "autoscale", description = "Shows, switches on or off a service's autoscaling")
@Service
public class AutoscaleCommand implements Action {

    @Reference
    AutoscalingService scaling;

    @Argument(index = 0, name = "service", description = "Service name or id", required = true)
    String service;

    @Argument(index = 1, name = "action", description = "show (default), on, off or decisions")
    String action = "show";

    @Option(name = "--min", description = "minReplicas (service-wide)")
    Integer min;

    @Option(name = "--max", description = "maxReplicas (service-wide)")
    Integer max;

    @Option(name = "--rps", description = "target requests per second per replica")
    Double rps;

    @Option(name = "--p95", description = "target p95 response time in ms")
    Double p95;

    @Option(name = "--in-flight", description = "target requests in flight per replica")
    Double inFlight;

    @Option(name = "--cpu", description = "target CPU % of a replica's limit")
    Double cpu;

    @Option(name = "--memory", description = "target memory % of a replica's limit")
    Double memory;

    @Option(name = "--up-window", description = "scale-up stabilisation window in seconds")
    Integer upWindow;

    @Option(name = "--down-window", description = "scale-down stabilisation window in seconds")
    Integer downWindow;

    @Option(
            name = "--zero-after",
            description = "scale to zero after this many seconds without a request (10..86400; 0 = never)")
    Integer zeroAfter;

    @Option(name = "--starting-page-after", description = "scale to zero: ms a request waits before the starting page")
    Integer startingPageAfter;

    @Option(name = "--max-held", description = "scale to zero: requests held at once per agent while a replica starts")
    Integer maxHeld;

    @Option(name = "--limit", description = "decisions to show (10)")
    int limit = 10;

    @Override
    public Object execute() {
        ServiceInfo svc = scaling.findService(service).orElse(null);
        if (svc == null) {
            System.err.println("No service named or with id " + service);
            return null;
        }
        UUID id = UUID.fromString(svc.id());
        AutoscalingStore.StoredPolicy stored = scaling.policy(id).orElse(null);
        switch (action) {
            case "show" -> {
                System.out.println(svc.name() + " (" + svc.id() + "): " + svc.replicas() + " replica(s) per agent on "
                        + svc.agentIds().size() + " agent(s)");
                System.out.println(
                        stored == null
                                ? "no autoscaling policy"
                                : PolicyJson.write(stored.policy())
                                        + (stored.pausedAt(scaling.now())
                                                ? " (paused until " + stored.pausedUntil() + ")"
                                                : ""));
                if (stored != null && stored.policy().scaleToZeroAfterSeconds() != null) {
                    System.out.println("scale to zero after " + stored.policy().scaleToZeroAfterSeconds()
                            + " s without a request; a request waits up to "
                            + stored.policy().startingPageAfterMs() + " ms for a replica (at most "
                            + stored.policy().maxHeldRequests() + " held per agent), then gets the starting page");
                }
                decisions(id, Math.min(limit, 5));
            }
            case "decisions" -> decisions(id, limit);
            case "on", "off" -> {
                PolicyDraft draft = draft(stored == null ? null : stored.policy(), svc);
                try {
                    Fields in = new Fields();
                    Policy p = draft.validate(in);
                    in.check();
                    scaling.put(svc, p);
                    System.out.println("Autoscaling of " + svc.name() + " is " + action + ": " + PolicyJson.write(p));
                } catch (ApiException e) {
                    StringBuilder sb = new StringBuilder(e.getMessage());
                    for (FieldError f : e.errors()) {
                        sb.append(System.lineSeparator())
                                .append("  ")
                                .append(f.field())
                                .append(": ")
                                .append(f.message());
                    }
                    System.err.println(sb);
                }
            }
            default -> System.err.println("action must be show, on, off or decisions");
        }
        return null;
    }

    private void decisions(UUID id, int n) {
        for (AutoscalingStore.StoredDecision d : scaling.decisions(id, Math.max(1, Math.min(n, 1000)))) {
            System.out.println(java.time.Instant.ofEpochMilli(d.decision().at()) + "  "
                    + d.decision().from() + " → " + d.decision().to() + "  ["
                    + d.decision().rule() + "] " + d.decision().reason());
        }
    }

    /**
     * The options over the stored policy ({@code old}; null: none yet, then the replicas the service runs now are
     * the minimum and, without {@code --max}, the maximum).
     */
    PolicyDraft draft(Policy old, ServiceInfo svc) {
        PolicyDraft base = old == null ? PolicyDraft.NONE : PolicyDraft.of(old);
        Integer minReplicas = first(
                min,
                base.minReplicas(),
                old == null ? Math.max(1, svc.replicas() * svc.agentIds().size()) : null);
        Policy.Targets t = base.targets() == null ? Policy.Targets.NONE : base.targets();
        return new PolicyDraft(
                "on".equals(action),
                minReplicas,
                first(max, base.maxReplicas(), minReplicas),
                new Policy.Targets(
                        first(rps, t.rpsPerReplica()),
                        first(p95, t.p95Ms()),
                        first(inFlight, t.inFlightPerReplica()),
                        first(cpu, t.cpuPercent()),
                        first(memory, t.memoryPercent())),
                base.max5xxPercent(),
                first(upWindow, base.scaleUpStabilizationSeconds()),
                first(downWindow, base.scaleDownStabilizationSeconds()),
                base.tolerancePercent(),
                base.maxScaleUpStep(),
                base.maxScaleDownStep(),
                base.cooldownSeconds(),
                zeroAfter != null && zeroAfter == 0 ? null : first(zeroAfter, base.scaleToZeroAfterSeconds()),
                base.manualPauseSeconds(),
                base.sampleMaxAgeSeconds(),
                first(maxHeld, base.maxHeldRequests()),
                first(startingPageAfter, base.startingPageAfterMs()));
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
