package dev.fleetgate.metrics.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.MetricsSink;
import dev.fleetgate.api.Topics;
import dev.fleetgate.metrics.MetricSeries;

/**
 * The {@link MetricsSink}: parses a batch, resolves series ids (an agent's series sent as before
 * by their bytes, {@link SentSeries}; others cached by key; unknown ones in one bulk statement),
 * writes every point by binary {@code COPY} (grouped with other syncs' batches, {@link SampleWriter}),
 * feeds the latest-value cache, and posts {@link Topics#METRICS_BATCH}. A
 * batch whose oldest point is older than the rollup's late tolerance also records its time range
 * for a one-off rollup, in the same transaction as the COPY. A batch taken with
 * {@link #acceptJsonLater} is read, resolved and encoded before the sync is answered and committed
 * by the writer after it; the latest values and the event follow its commit.
 */
@Component(service = MetricsSink.class)
public final class Ingestor implements MetricsSink {
    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);

    private final MetricsStorage storage;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    @Activate
    public Ingestor(@Reference MetricsStorage storage) {
        this.storage = storage;
    }

    @Override
    public void accept(String agentId, JsonNode metrics) throws SQLException {
        long started = System.nanoTime();
        ingest(agentId, parser().parse(agentId, metrics), started, false);
    }

    /** The batch straight from the request bytes: read token by token into rows, no tree. */
    @Override
    public void acceptJson(String agentId, byte[] json, int offset, int length) throws SQLException, IOException {
        long started = System.nanoTime();
        ingest(
                agentId,
                parser().parse(agentId, json, offset, length, storage.sent().of(agentId)),
                started,
                false);
    }

    /**
     * The batch read and checked now, its rows committed by the writer after the sync is answered (grouped with
     * other syncs' batches), unless the writer stores them at once ({@link SampleWriter#submit}).
     */
    @Override
    public CompletionStage<Void> acceptJsonLater(String agentId, byte[] json, int offset, int length)
            throws SQLException, IOException {
        long started = System.nanoTime();
        return ingest(
                agentId,
                parser().parse(agentId, json, offset, length, storage.sent().of(agentId)),
                started,
                true);
    }

    private BatchParser parser() {
        long[] range = storage.partitions().range(Resolution.RAW);
        return new BatchParser(range[0], range[1], storage.settings().maxPointsPerBatch());
    }

    /**
     * Stores the batch: before returning, or ({@code later}) by the writer after it.
     *
     * @return completes when the batch is committed
     * @throws SQLException when rows stored before returning were not stored
     */
    private CompletableFuture<Void> ingest(String agentId, BatchParser.Batch batch, long started, boolean later)
            throws SQLException {
        skipped(agentId, batch);
        CompletableFuture<Void> commit = null;
        if (batch.points() > 0) {
            try {
                SampleWriter.Rows rows = rows(agentId, batch);
                if (later) {
                    commit = storage.writer().submit(rows); // throws when stored at once and not stored
                } else {
                    storage.writer().write(rows);
                }
            } catch (SQLException | RuntimeException e) {
                storage.stats().failed();
                throw e;
            }
        }
        if (commit == null) {
            stored(agentId, batch, started);
            return CompletableFuture.completedFuture(null);
        }
        return commit.whenComplete((ok, failure) -> {
            if (failure == null) {
                stored(agentId, batch, started);
                return;
            }
            storage.stats().failed();
            LOG.warn(
                    "Metrics batch of agent {} not stored after its sync was answered; the agent will resend it: {}",
                    agentId,
                    failure.toString());
        });
    }

    private static void skipped(String agentId, BatchParser.Batch batch) {
        if (batch.rejectedSeries() + batch.rejectedPoints() > 0) {
            LOG.debug(
                    "Agent {}: {} malformed series and {} points skipped",
                    agentId,
                    batch.rejectedSeries(),
                    batch.rejectedPoints());
        }
    }

    /** The batch is committed: the latest values, the figures, the event. */
    private void stored(String agentId, BatchParser.Batch batch, long started) {
        if (batch.points() > 0) {
            for (BatchParser.Series s : batch.series()) {
                int newest = newest(s.ts());
                storage.latest().offer(s.key(), s.ts()[newest], s.values()[newest]);
            }
        }
        storage.stats()
                .stored(batch.points(), batch.rejectedSeries(), batch.rejectedPoints(), System.nanoTime() - started);
        if (batch.points() > 0) {
            post(agentId, batch);
        }
    }

    /** The batch's rows for the writer: series ids resolved (unknown ones created), points encoded. */
    private SampleWriter.Rows rows(String agentId, BatchParser.Batch batch) throws SQLException {
        List<SeriesKey> keys = new ArrayList<>();
        for (BatchParser.Series s : batch.series()) {
            if (s.id() < 0) {
                keys.add(s.key());
            }
        }
        Map<SeriesKey, Long> ids = keys.isEmpty() ? Map.of() : storage.series().resolve(storage.dataSource(), keys);
        CopyEncoder rows = new CopyEncoder(batch.points());
        for (BatchParser.Series s : batch.series()) {
            long id = s.id() >= 0 ? s.id() : ids.get(s.key());
            if (s.sent() != null) {
                storage.sent().remember(agentId, s.sent(), new SentSeries.Known(s.key(), id));
            }
            long[] ts = s.ts();
            double[] vs = s.values();
            for (int i = 0; i < ts.length; i++) {
                rows.row(ts[i], id, vs[i]);
            }
        }
        byte[] bytes = rows.finish();
        boolean late =
                batch.minTs() < storage.clock().millis() - storage.settings().lateToleranceSeconds() * 1000L;
        return new SampleWriter.Rows(bytes, rows.length(), batch.minTs(), batch.maxTs(), late);
    }

    private void post(String agentId, BatchParser.Batch batch) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        List<MetricSeries> series = new ArrayList<>(batch.series().size());
        for (BatchParser.Series s : batch.series()) {
            series.add(new MetricSeries(s.key().name(), s.key().labels(), s.ts(), s.values()));
        }
        ea.postEvent(new Event(
                Topics.METRICS_BATCH, Map.of("agentId", agentId, "series", series, "points", batch.points())));
    }

    private static int newest(long[] ts) {
        int best = 0;
        for (int i = 1; i < ts.length; i++) {
            if (ts[i] >= ts[best]) {
                best = i;
            }
        }
        return best;
    }
}
