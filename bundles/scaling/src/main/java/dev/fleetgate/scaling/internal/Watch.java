package dev.fleetgate.scaling.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.Severity;
import dev.fleetgate.scaling.ScalingEvents;

/**
 * Conditions module 8 hears about, per service (pure; one caller per service): at its maximum for
 * {@link #AT_MAX_MILLIS} ({@link ScalingEvents#AT_MAX_KIND}) and flapping — {@link #FLAP_REVERSALS} or more
 * changes of direction within {@link #FLAP_WINDOW_MILLIS} ({@link ScalingEvents#FLAPPING_KIND}); scaled to zero
 * ({@link ScalingEvents#TO_ZERO_KIND}) and woken from zero ({@link ScalingEvents#WOKEN_KIND}). Going to zero and
 * waking are not changes of direction for the flapping count: a service that sleeps between visits is not flapping.
 */
final class Watch {
    static final long AT_MAX_MILLIS = 10 * 60_000L;
    static final long FLAP_WINDOW_MILLIS = 10 * 60_000L;
    static final int FLAP_REVERSALS = 3;

    private final String serviceId;
    private long atMaxSince = Long.MIN_VALUE;
    private boolean atMaxFiring;
    private boolean flapping;
    private boolean atZero;
    private boolean woken;
    /** {at, direction} of the changes, oldest first. */
    private final ArrayDeque<long[]> changes = new ArrayDeque<>();

    Watch(String serviceId) {
        this.serviceId = serviceId;
    }

    /** @return the alert events this decision starts or ends */
    List<AlertEvent> observe(Decision d, int maxReplicas, String serviceName, long now) {
        List<AlertEvent> out = new ArrayList<>();
        if (d.to() >= maxReplicas && maxReplicas > 0) {
            if (atMaxSince == Long.MIN_VALUE) {
                atMaxSince = now;
            }
            if (!atMaxFiring && now - atMaxSince >= AT_MAX_MILLIS) {
                atMaxFiring = true;
                out.add(AlertEvent.firing(ScalingEvents.AT_MAX_KIND, serviceName)
                        .severity(Severity.WARNING)
                        .value(d.to())
                        .label("service", serviceId)
                        .message(serviceName + " has been at its maximum of " + maxReplicas + " replicas for "
                                + (now - atMaxSince) / 60_000 + " min (" + d.reason() + ")"));
            }
        } else {
            atMaxSince = Long.MIN_VALUE;
            if (atMaxFiring) {
                atMaxFiring = false;
                out.add(AlertEvent.cleared(ScalingEvents.AT_MAX_KIND, serviceName)
                        .label("service", serviceId)
                        .message(serviceName + " runs " + d.to() + " of at most " + maxReplicas + " replicas"));
            }
        }
        if (d.changed() && d.to() == 0) {
            zero(out, serviceName, d);
        } else if (d.changed() && d.from() == 0) {
            wake(out, serviceName, d);
        } else if (d.changed()) {
            changes.addLast(new long[] {now, Integer.signum(d.to() - d.from())});
        }
        while (!changes.isEmpty() && changes.peekFirst()[0] < now - FLAP_WINDOW_MILLIS) {
            changes.removeFirst();
        }
        int reversals = reversals();
        if (!flapping && reversals >= FLAP_REVERSALS) {
            flapping = true;
            out.add(AlertEvent.firing(ScalingEvents.FLAPPING_KIND, serviceName)
                    .severity(Severity.WARNING)
                    .value(reversals)
                    .label("service", serviceId)
                    .message(serviceName + " changed scaling direction " + reversals + " times in "
                            + FLAP_WINDOW_MILLIS / 60_000 + " min: widen the tolerance or the stabilisation windows"));
        } else if (flapping && reversals == 0) {
            flapping = false;
            out.add(AlertEvent.cleared(ScalingEvents.FLAPPING_KIND, serviceName)
                    .label("service", serviceId)
                    .message(serviceName + " scales steadily again"));
        }
        return out;
    }

    private void zero(List<AlertEvent> out, String serviceName, Decision d) {
        if (woken) {
            woken = false;
            out.add(AlertEvent.cleared(ScalingEvents.WOKEN_KIND, serviceName)
                    .label("service", serviceId)
                    .message(serviceName + " is idle again"));
        }
        atZero = true;
        out.add(AlertEvent.firing(ScalingEvents.TO_ZERO_KIND, serviceName)
                .severity(Severity.INFO)
                .value(0)
                .label("service", serviceId)
                .message(serviceName + " scaled to zero: " + d.reason()));
    }

    private void wake(List<AlertEvent> out, String serviceName, Decision d) {
        if (atZero) {
            atZero = false;
            out.add(AlertEvent.cleared(ScalingEvents.TO_ZERO_KIND, serviceName)
                    .label("service", serviceId)
                    .message(serviceName + " runs " + d.to() + " replica(s) again"));
        }
        woken = true;
        out.add(AlertEvent.firing(ScalingEvents.WOKEN_KIND, serviceName)
                .severity(Severity.INFO)
                .value(d.to())
                .label("service", serviceId)
                .message(serviceName + " woken from zero: " + d.reason()));
    }

    private int reversals() {
        int n = 0;
        long prev = 0;
        for (long[] c : changes) {
            if (prev != 0 && c[1] != prev) {
                n++;
            }
            prev = c[1];
        }
        return n;
    }
}
