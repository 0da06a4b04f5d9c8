package dev.fleetgate.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Held syncs of many simulated agents on one selector thread ({@link Http1}): each agent keeps one
 * keep-alive connection and sends its next {@code sync?wait=} as soon as the previous one is
 * answered, as a real agent does. With {@code java.net.http} the first fan-outs to 10,000 agents
 * spent most of their time in the bench's own JIT compiler, GC and client, not in the core.
 */
final class HeldPolls implements AutoCloseable {

    /** What the client needs of a simulated agent. */
    interface Agent {
        String core();

        /** The bytes of the sync request to send now (built again only when the report changed). */
        ByteBuffer syncRequest(int wait);
    }

    private final Http1.Loop loop;
    private final int wait;
    private final BiConsumer<Agent, String> onAnswer;
    private final AtomicInteger errors;
    private final List<Conn> retrying = new ArrayList<>();
    private final List<Conn> all = new ArrayList<>();
    private long nextTimeoutCheck;
    private final Map<String, AtomicInteger> reasons = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    final AtomicInteger inFlight = new AtomicInteger();

    HeldPolls(int wait, BiConsumer<Agent, String> onAnswer, AtomicInteger errors) throws IOException {
        this.wait = wait;
        this.onAnswer = onAnswer;
        this.errors = errors;
        this.loop = new Http1.Loop("bench-held-polls", this::tick);
    }

    /** Starts polling for these agents. */
    void start(List<? extends Agent> agents) {
        List<Agent> copy = List.copyOf(agents);
        loop.execute(() -> {
            for (Agent a : copy) {
                Conn c = new Conn(a);
                all.add(c);
                c.poll();
            }
        });
    }

    private void count(String reason) {
        errors.incrementAndGet();
        reasons.computeIfAbsent(reason, k -> new AtomicInteger()).incrementAndGet();
    }

    /** The errors so far by reason, and resets them. */
    String errorsByReason() {
        StringBuilder b = new StringBuilder();
        for (var e : reasons.entrySet()) {
            int n = e.getValue().getAndSet(0);
            if (n > 0) {
                b.append(b.length() == 0 ? "" : "; ").append(n).append(" × ").append(e.getKey());
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    @Override
    public void close() throws IOException {
        running = false;
        loop.close();
    }

    private long tick() {
        long now = System.nanoTime();
        if (now >= nextTimeoutCheck) {
            nextTimeoutCheck = now + 1_000_000_000L;
            long limit = (wait + 30) * 1_000_000_000L;
            for (Conn c : all) {
                if (c.busy() && now - c.sentAt > limit) {
                    c.fail("no answer " + (wait + 30) + " s after the request"); // the core lost it
                }
            }
        }
        for (Iterator<Conn> it = retrying.iterator(); it.hasNext(); ) {
            Conn c = it.next();
            if (now >= c.retryAt) {
                it.remove();
                c.poll();
            }
        }
        return 200_000_000L;
    }

    /** One agent's connection and the held sync on it. */
    private final class Conn extends Http1.Connection {
        final Agent agent;
        long retryAt;
        long sentAt;

        Conn(Agent agent) {
            super(loop, Http1.address(agent.core()));
            this.agent = agent;
        }

        void poll() {
            if (!running) {
                return;
            }
            sentAt = System.nanoTime();
            inFlight.incrementAndGet();
            send(agent.syncRequest(wait));
        }

        @Override
        void answered(Http1.Response r) {
            inFlight.decrementAndGet();
            if (r.status() != 200) {
                String detail = r.body().replaceAll(".*\"detail\":\"([^\"]*)\".*", "$1");
                count("HTTP " + r.status() + (detail.length() > 100 ? "" : " " + detail));
                close();
                retryLater();
                return;
            }
            onAnswer.accept(agent, r.body());
            poll();
        }

        @Override
        void failed(String why, boolean polling) {
            if (polling) {
                inFlight.decrementAndGet();
            }
            count((polling ? "" : "idle: ") + why);
            retryLater();
        }

        private void retryLater() {
            retryAt = System.nanoTime() + 1_000_000_000L;
            retrying.add(this);
        }
    }
}
