package dev.fleetgate.agent.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.StateApplier;
import dev.fleetgate.agent.Threads;

/**
 * Hands each desired-state section to the {@link StateApplier} of that section: serially per
 * section, newest revision only, each section on its own thread so that a slow one (a
 * bundle download) does not hold the others. Sections with no applier yet are kept and
 * applied when one appears; meanwhile their revision is reported with an error saying so
 * (otherwise the core would resend them at every sync and never hold the long-poll).
 */
public final class SectionDispatcher implements TaskRunner.BundleGate {

    /** What is reported to the core under {@code applied.<section>}. */
    public record Applied(long revision, String error) {}

    private static final Logger LOG = System.getLogger(SectionDispatcher.class.getName());
    static final String BUNDLES = "bundles";
    private static final long GATE_TIMEOUT_MS = 120_000;
    private static final long RECENT_MS = 30_000;

    private static final class Section {
        StateApplier applier;
        long attempted = -1;
        String error;
        long pendingRevision = -1;
        JsonNode pendingBody;
        long runningRevision = -1;
        long lastDoneNanos;

        boolean busy() {
            return runningRevision >= 0 || pendingBody != null;
        }
    }

    private final ObjectMapper mapper;
    private final Runnable onApplied;
    private final ExecutorService executor = Threads.pool("fleetgate-apply", 4);
    private final Map<String, Section> sections = new HashMap<>();

    /** @param onApplied called after each attempt (to report it at once) */
    public SectionDispatcher(ObjectMapper mapper, Runnable onApplied) {
        this.mapper = mapper;
        this.onApplied = onApplied;
    }

    /**
     * Offers a section from a sync answer.
     *
     * @return whether the revision is new (not older than, nor the same as, one already seen)
     */
    public synchronized boolean offer(String name, long revision, JsonNode body) {
        Section section = sections.computeIfAbsent(name, n -> new Section());
        long latest = Math.max(section.attempted, Math.max(section.pendingRevision, section.runningRevision));
        if (revision <= latest) {
            return false;
        }
        section.pendingRevision = revision;
        section.pendingBody = body == null ? mapper.createObjectNode() : body;
        if (section.applier == null) {
            LOG.log(
                    Level.INFO,
                    "section {0} revision {1} received; no applier for it yet: kept until one appears",
                    name,
                    revision);
        }
        schedule(name, section);
        return true;
    }

    public synchronized void addApplier(String name, StateApplier applier) {
        Section section = sections.computeIfAbsent(name, n -> new Section());
        section.applier = applier;
        schedule(name, section);
    }

    public synchronized void removeApplier(String name, StateApplier applier) {
        Section section = sections.get(name);
        if (section != null && section.applier == applier) {
            section.applier = null;
        }
    }

    /** @return per section, the last revision attempted and its error, for {@code applied} */
    public synchronized Map<String, Applied> applied() {
        Map<String, Applied> applied = new TreeMap<>();
        sections.forEach((name, section) -> {
            if (section.applier == null && section.pendingBody != null) {
                applied.put(
                        name,
                        new Applied(
                                section.pendingRevision, "waiting: no applier for section " + name + " on this agent"));
            } else if (section.attempted >= 0) {
                applied.put(name, new Applied(section.attempted, section.error));
            }
        });
        return applied;
    }

    /** @return each applier's {@link StateApplier#status()}, by section */
    public ObjectNode statuses() {
        List<Map.Entry<String, StateApplier>> appliers = new ArrayList<>();
        synchronized (this) {
            sections.forEach((name, section) -> {
                if (section.applier != null) {
                    appliers.add(Map.entry(name, section.applier));
                }
            });
        }
        ObjectNode status = mapper.createObjectNode();
        for (Map.Entry<String, StateApplier> entry : appliers) {
            try {
                JsonNode value = entry.getValue().status();
                if (value != null) {
                    status.set(entry.getKey(), value);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "status of section " + entry.getKey() + " failed", e);
            }
        }
        return status;
    }

    /** Waits (bounded) while the bundles section is being applied or waits for its applier. */
    @Override
    public boolean awaitBundles() throws InterruptedException {
        return awaitIdle(BUNDLES, GATE_TIMEOUT_MS);
    }

    /**
     * Waits while a section is being applied or pending.
     *
     * @return whether the section was applied within the last 30 s
     */
    public synchronized boolean awaitIdle(String name, long timeoutMs) throws InterruptedException {
        Section section = sections.get(name);
        awaitWhile(() -> section != null && section.busy(), timeoutMs);
        return section != null
                && section.lastDoneNanos != 0
                && System.nanoTime() - section.lastDoneNanos < TimeUnit.MILLISECONDS.toNanos(RECENT_MS);
    }

    /**
     * Waits (at most {@code timeoutMs}) until no section that has an applier is pending or being applied.
     *
     * @return whether something was being applied when called (and the wait was for it)
     */
    public synchronized boolean awaitApplying(long timeoutMs) throws InterruptedException {
        boolean applying = applying();
        awaitWhile(this::applying, timeoutMs);
        return applying;
    }

    /** A section with an applier pending, or any section being applied. */
    private boolean applying() {
        return sections.values().stream().anyMatch(s -> s.busy() && (s.applier != null || s.runningRevision >= 0));
    }

    /** Waits (holding this monitor's lock between checks) while {@code condition} holds, at most {@code timeoutMs}. */
    private void awaitWhile(java.util.function.BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (condition.getAsBoolean()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    public void stop() {
        executor.shutdownNow();
    }

    private void schedule(String name, Section section) {
        if (section.applier != null
                && section.pendingBody != null
                && section.runningRevision < 0
                && !executor.isShutdown()) {
            section.runningRevision = section.pendingRevision;
            executor.execute(() -> drain(name, section));
        }
    }

    private void drain(String name, Section section) {
        while (true) {
            StateApplier applier;
            long revision;
            JsonNode body;
            synchronized (this) {
                if (section.applier == null || section.pendingBody == null) {
                    section.runningRevision = -1;
                    notifyAll();
                    return;
                }
                applier = section.applier;
                revision = section.pendingRevision;
                body = section.pendingBody;
                section.pendingBody = null;
                section.pendingRevision = -1;
                section.runningRevision = revision;
            }
            String error = null;
            LOG.log(Level.INFO, "applying section {0} revision {1}", name, revision);
            try {
                applier.apply(revision, body);
                LOG.log(Level.INFO, "section {0} revision {1} applied", name, revision);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            } catch (Exception | LinkageError e) {
                error = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
                LOG.log(Level.WARNING, "section {0} revision {1} failed: {2}", name, revision, error);
            }
            synchronized (this) {
                section.attempted = revision;
                section.error = error;
                section.lastDoneNanos = System.nanoTime();
                notifyAll();
            }
            onApplied.run();
            if (Thread.currentThread().isInterrupted()) {
                synchronized (this) {
                    section.runningRevision = -1;
                    notifyAll();
                }
                return;
            }
        }
    }
}
