package dev.fleetgate.agent.metrics.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.Threads;
import dev.fleetgate.agent.metrics.internal.buffer.MetricsBuffer;
import dev.fleetgate.agent.metrics.internal.scrape.MetricsSection.Scrape;
import dev.fleetgate.agent.metrics.internal.scrape.MetricsSection.Target;
import dev.fleetgate.agent.metrics.internal.scrape.Scraper;
import dev.fleetgate.agent.sdk.MetricSource;

/**
 * The scheduled work: every interval the built-in collectors run on the metrics thread and
 * everything collected since the last round is sealed into batches for the buffer; plugin
 * sources and scrapes run at their own intervals on a small I/O pool and add to the same
 * samples.
 */
final class Collection {

    private static final Logger LOG = System.getLogger(Collection.class.getName());

    /** A built-in collector. */
    interface Round {
        void run(Emitter out, long nanos) throws Exception;
    }

    /** A plugin's source and its state. */
    static final class Source {
        final String name;
        final int intervalSeconds;
        final Supplier<MetricSource> service;
        final AtomicBoolean running = new AtomicBoolean();
        volatile long errors;
        volatile long skipped;
        volatile String lastError;
        ScheduledFuture<?> future;

        Source(String name, int intervalSeconds, Supplier<MetricSource> service) {
            this.name = name;
            this.intervalSeconds = intervalSeconds;
            this.service = service;
        }
    }

    private final Samples samples;
    private final MetricsBuffer buffer;
    private final ObjectMapper mapper;
    private final int maxSeriesPerBatch;
    private final Runnable onBatch;
    private final Map<String, Round> rounds;
    private final SelfMetrics self = new SelfMetrics();
    private final Scraper scraper;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService io;
    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private final Map<String, String> roundErrors = new ConcurrentHashMap<>();
    private final Map<String, Scraper.Outcome> outcomes = new ConcurrentHashMap<>();
    private final List<ScheduledFuture<?>> scrapeFutures = new ArrayList<>();
    private ScheduledFuture<?> main;
    private volatile int intervalSeconds;
    private volatile int lastBatchSeries;

    Collection(
            Samples samples,
            MetricsBuffer buffer,
            ObjectMapper mapper,
            int maxSeriesPerBatch,
            Runnable onBatch,
            Map<String, Round> rounds) {
        this.samples = samples;
        this.buffer = buffer;
        this.mapper = mapper;
        this.maxSeriesPerBatch = maxSeriesPerBatch;
        this.onBatch = onBatch;
        this.rounds = new LinkedHashMap<>(rounds);
        this.scraper = new Scraper(mapper);
        this.scheduler = Threads.scheduler("fleetgate-metrics", 1);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), Threads.factory("fleetgate-metrics-io"));
        pool.allowCoreThreadTimeOut(true);
        this.io = pool;
    }

    synchronized void start(int seconds) {
        intervalSeconds = seconds;
        scheduleMain();
    }

    int intervalSeconds() {
        return intervalSeconds;
    }

    synchronized void setInterval(int seconds) {
        if (seconds == intervalSeconds) {
            return;
        }
        intervalSeconds = seconds;
        scheduleMain();
        sources.values().stream().filter(s -> s.intervalSeconds <= 0).forEach(this::schedule);
    }

    private void scheduleMain() {
        if (main != null) {
            main.cancel(false);
        }
        long periodMs = intervalSeconds * 1000L;
        long delay = periodMs - System.currentTimeMillis() % periodMs; // rounds on wall-clock multiples
        main = scheduler.scheduleAtFixedRate(this::round, delay, periodMs, TimeUnit.MILLISECONDS);
    }

    /** One round of the built-in collectors, then seal what was collected into the buffer. */
    void round() {
        long now = System.currentTimeMillis();
        long nanos = System.nanoTime();
        Emitter out = Emitter.into(samples, now);
        rounds.forEach((name, round) -> {
            try {
                round.run(out, nanos);
                roundErrors.remove(name);
            } catch (Exception | LinkageError e) {
                String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
                if (!message.equals(roundErrors.put(name, message))) {
                    LOG.log(Level.WARNING, "metrics collector {0} failed: {1}", name, message);
                }
            }
        });
        self.collect(out, nanos);
        MetricsBuffer.Stats stats = buffer.stats();
        out.emit("agent_metrics_dropped_total", stats.droppedPoints() + samples.dropped());
        out.emit("agent_metrics_buffer_bytes", Map.of("where", "memory"), stats.memoryBytes());
        out.emit("agent_metrics_buffer_bytes", Map.of("where", "disk"), stats.diskBytes());
        out.emit("agent_metrics_buffer_batches", stats.batches());
        sources.values().forEach(s -> {
            out.emit("agent_metric_source_errors_total", Map.of("source", s.name), s.errors);
            out.emit("agent_metric_source_skipped_total", Map.of("source", s.name), s.skipped);
        });
        seal();
    }

    /** Moves the samples collected so far into the buffer, as batches. */
    void seal() {
        boolean added = false;
        int series = 0;
        for (Samples.Chunk chunk : samples.drain(mapper, maxSeriesPerBatch)) {
            try {
                buffer.add(chunk.series(), chunk.points());
                series += chunk.series().size();
                added = true;
            } catch (IOException | IllegalStateException e) {
                LOG.log(Level.WARNING, "metric batch lost: " + e.getMessage());
            }
        }
        lastBatchSeries = series;
        if (added) {
            onBatch.run();
        }
    }

    int lastBatchSeries() {
        return lastBatchSeries;
    }

    Map<String, String> roundErrors() {
        return Map.copyOf(roundErrors);
    }

    void addSource(String key, Source source) {
        Source old = sources.put(key, source);
        synchronized (this) {
            if (old != null && old.future != null) {
                old.future.cancel(false);
            }
            schedule(source);
        }
    }

    void removeSource(String key) {
        Source old = sources.remove(key);
        synchronized (this) {
            if (old != null && old.future != null) {
                old.future.cancel(false);
            }
        }
    }

    List<Source> sources() {
        return List.copyOf(sources.values());
    }

    private void schedule(Source source) {
        if (source.future != null) {
            source.future.cancel(false);
        }
        long periodMs = (source.intervalSeconds > 0 ? source.intervalSeconds : intervalSeconds) * 1000L;
        long delay = periodMs - System.currentTimeMillis() % periodMs;
        source.future = scheduler.scheduleAtFixedRate(
                () -> submit(() -> runSource(source), () -> source.skipped++),
                Math.min(delay, 1_000),
                periodMs,
                TimeUnit.MILLISECONDS);
    }

    void runSource(Source source) {
        if (!source.running.compareAndSet(false, true)) {
            source.skipped++;
            return;
        }
        try {
            MetricSource service = source.service.get();
            if (service != null) {
                service.collect(new SourceSink(samples, System.currentTimeMillis()));
            }
            source.lastError = null;
        } catch (Exception | LinkageError e) {
            source.errors++;
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            if (!message.equals(source.lastError)) {
                LOG.log(Level.WARNING, "metric source {0} failed: {1}", source.name, message);
            }
            source.lastError = message;
        } finally {
            source.running.set(false);
        }
    }

    /** Replaces the scrapes; {@code endpoints} gives a service's ready container endpoints. */
    synchronized void setScrapes(List<Scrape> scrapes, Function<String, List<Target>> endpoints) {
        scrapeFutures.forEach(f -> f.cancel(false));
        scrapeFutures.clear();
        outcomes.clear();
        for (Scrape scrape : scrapes) {
            AtomicBoolean running = new AtomicBoolean();
            long periodMs = scrape.intervalSeconds() * 1000L;
            scrapeFutures.add(scheduler.scheduleAtFixedRate(
                    () -> submit(
                            () -> {
                                if (running.compareAndSet(false, true)) {
                                    try {
                                        scrapeAll(scrape, endpoints.apply(scrape.serviceId()));
                                    } finally {
                                        running.set(false);
                                    }
                                }
                            },
                            () -> {}),
                    Math.min(1_000, periodMs),
                    periodMs,
                    TimeUnit.MILLISECONDS));
        }
    }

    private void scrapeAll(Scrape scrape, List<Target> extra) {
        List<Target> targets = new ArrayList<>(scrape.targets());
        extra.stream().filter(t -> !targets.contains(t)).forEach(targets::add);
        outcomes.keySet()
                .removeIf(k -> k.startsWith(scrape.serviceId() + "|")
                        && targets.stream().noneMatch(t -> k.equals(scrape.serviceId() + "|" + t)));
        Emitter out = Emitter.into(samples, System.currentTimeMillis());
        for (Target target : targets) {
            outcomes.put(scrape.serviceId() + "|" + target, scraper.scrape(scrape, target, out));
        }
    }

    List<Scraper.Outcome> outcomes() {
        return List.copyOf(outcomes.values());
    }

    private void submit(Runnable task, Runnable rejected) {
        try {
            io.execute(task);
        } catch (RejectedExecutionException e) {
            rejected.run();
        }
    }

    /** Stops collecting and seals what was collected. */
    void stop() {
        scheduler.shutdownNow();
        io.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
            io.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        seal();
    }
}
