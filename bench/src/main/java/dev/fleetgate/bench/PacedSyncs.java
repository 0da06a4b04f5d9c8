package dev.fleetgate.bench;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * No-change syncs ({@code wait=0}) of many simulated agents at a fixed pace, on one selector
 * thread ({@link Http1}): agent {@code i} of {@code n} is due at {@code i × interval / n} into every
 * interval. A fixed pool of {@code connections} keep-alive slots (one connection per core in each)
 * bounds the requests in flight; a due sync takes a free slot or waits, in order, for the next one
 * freed. The recorder sees when each sync was due and when it was sent. An agent given series
 * ({@code SimAgent.meter}, {@code --series}) sends them with each sync, stamped when it is sent.
 */
final class PacedSyncs implements AutoCloseable {

    /** What the benchmark records; called on the client's thread. */
    interface Recorder {
        void answered(SyncBench.SimAgent agent, long dueAt, long sentAt, int status, String body);

        void failed(SyncBench.SimAgent agent, String why);
    }

    private final List<SyncBench.SimAgent> agents;
    private final int[] coreOf;
    private final int cores;
    private final long intervalNanos;
    private final Recorder recorder;
    private final ArrayDeque<Slot> free = new ArrayDeque<>();
    private final int slots;
    private final long start;
    private final Http1.Loop loop;
    private long nextDue; // the first sync (a sequence number over all agents and intervals) not yet due
    private long nextSend; // the first sync not yet sent: those in between wait for a free slot
    private volatile boolean stopped;
    private volatile int inFlight;
    private volatile long waiting;

    PacedSyncs(List<SyncBench.SimAgent> agents, int intervalSeconds, int connections, Recorder recorder)
            throws IOException {
        this.agents = List.copyOf(agents);
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
        this.recorder = recorder;
        this.slots = connections;
        Map<String, Integer> index = new HashMap<>();
        coreOf = new int[agents.size()];
        for (int i = 0; i < agents.size(); i++) {
            coreOf[i] = index.computeIfAbsent(agents.get(i).core, k -> index.size());
        }
        this.cores = index.size();
        this.start = System.nanoTime();
        this.loop = new Http1.Loop("bench-paced-syncs", this::tick);
        loop.execute(() -> {
            for (int i = 0; i < slots; i++) {
                free.add(new Slot());
            }
        });
    }

    /** Syncs sent and not yet answered. */
    int inFlight() {
        return inFlight;
    }

    /** Syncs due and not yet sent (waiting for a free connection). */
    long waiting() {
        return waiting;
    }

    private long due(long seq) {
        int n = agents.size();
        return start + (seq / n) * intervalNanos + (seq % n) * intervalNanos / n;
    }

    private long tick() {
        if (stopped) {
            return 1_000_000_000L;
        }
        long now = System.nanoTime();
        while (due(nextDue) <= now) {
            nextDue++;
        }
        while (nextSend < nextDue && !free.isEmpty()) {
            dispatch(free.poll(), nextSend++);
        }
        inFlight = slots - free.size();
        waiting = nextDue - nextSend;
        return due(nextDue) - System.nanoTime();
    }

    private void dispatch(Slot slot, long seq) {
        int i = (int) (seq % agents.size());
        Conn c = slot.conns[coreOf[i]];
        if (c == null) {
            c = slot.conns[coreOf[i]] = new Conn(slot, agents.get(i).core);
        }
        c.agent = agents.get(i);
        c.dueAt = due(seq);
        c.sentAt = System.nanoTime();
        if (c.agent.series() > 0) { // carries metrics stamped now: built per sync into the connection's buffer
            c.scratch = c.agent.meteredRequest(System.currentTimeMillis(), c.scratch);
            c.send(c.scratch);
        } else {
            c.send(c.agent.syncRequest(0));
        }
    }

    /** Stops sending; waits (at most 30 s) for the syncs in flight; closes the connections. */
    @Override
    public void close() throws IOException {
        stopped = true;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger(-1);
            loop.execute(() -> busy.set(slots - free.size()));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (busy.get() == 0) {
                break;
            }
        }
        loop.close();
    }

    /** One request in flight at most: a connection to each core, opened when first needed. */
    private final class Slot {
        final Conn[] conns = new Conn[cores];
    }

    private final class Conn extends Http1.Connection {
        final Slot slot;
        SyncBench.SimAgent agent;
        long dueAt;
        long sentAt;
        java.nio.ByteBuffer scratch; // the metered request in flight (one at a time per connection)

        Conn(Slot slot, String core) {
            super(loop, Http1.address(core));
            this.slot = slot;
        }

        @Override
        void answered(Http1.Response r) {
            free.add(slot);
            recorder.answered(agent, dueAt, sentAt, r.status(), r.body());
        }

        @Override
        void failed(String why, boolean inFlight) {
            if (inFlight) {
                free.add(slot);
                recorder.failed(agent, why);
            }
        }
    }
}
