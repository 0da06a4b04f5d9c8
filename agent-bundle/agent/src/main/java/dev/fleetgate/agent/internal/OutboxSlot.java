package dev.fleetgate.agent.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import dev.fleetgate.agent.MetricsOutbox;

/**
 * The sync's access to the {@link MetricsOutbox} (at most one, may come and go): a faulty
 * outbox is logged, never allowed to break a sync.
 */
final class OutboxSlot {

    private static final Logger LOG = System.getLogger(OutboxSlot.class.getName());

    private volatile MetricsOutbox outbox;

    synchronized void set(MetricsOutbox outbox) {
        this.outbox = outbox;
    }

    /** Clears the outbox if it is this one (a replacement may have been set already). */
    synchronized void clear(MetricsOutbox old) {
        if (outbox == old) {
            outbox = null;
        }
    }

    MetricsOutbox current() {
        return outbox;
    }

    boolean pending() {
        MetricsOutbox box = outbox;
        try {
            return box != null && box.hasPending();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics outbox failed", e);
            return false;
        }
    }

    static MetricsOutbox.Batch poll(MetricsOutbox box) {
        if (box == null) {
            return null;
        }
        try {
            return box.poll();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics outbox failed", e);
            return null;
        }
    }

    /** Acknowledges the batch after a 200, gives it back otherwise. */
    static void settle(MetricsOutbox box, MetricsOutbox.Batch batch, boolean stored) {
        if (batch == null) {
            return;
        }
        try {
            if (stored) {
                box.acknowledge(batch);
            } else {
                box.giveBack(batch);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics outbox failed", e);
        }
    }
}
