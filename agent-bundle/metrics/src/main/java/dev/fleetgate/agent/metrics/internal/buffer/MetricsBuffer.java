package dev.fleetgate.agent.metrics.internal.buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.MetricsOutbox;

/**
 * Batches waiting for the core, oldest first: the newest few in memory, older ones spilled to
 * gzip files in a directory ({@code <stateDir>/metrics/}) bounded to {@code maxDiskBytes}. When
 * the bound is exceeded the oldest batches are dropped and counted (points and batches, kept
 * across restarts). Files survive a restart and are replayed in order; {@link #close()} spills
 * what is in memory, so a clean stop loses nothing.
 */
public final class MetricsBuffer implements MetricsOutbox {

    private static final Logger LOG = System.getLogger(MetricsBuffer.class.getName());
    private static final Pattern FILE = Pattern.compile("(\\d{19})-(\\d+)\\.json\\.gz");
    private static final String DROPPED_FILE = "dropped.properties";

    /** Counters and sizes, for {@code status.metrics} and the agent's own metrics. */
    public record Stats(
            int batches,
            int inMemory,
            int onDisk,
            int inFlight,
            long memoryBytes,
            long diskBytes,
            long droppedPoints,
            long droppedBatches) {}

    private static final class Entry {
        final long id;
        final int points;
        byte[] json; // null once on disk
        long diskBytes;
        boolean inFlight;

        Entry(long id, int points) {
            this.id = id;
            this.points = points;
        }
    }

    private final Path dir;
    private final long maxDiskBytes;
    private final int maxMemoryBatches;
    private final long maxMemoryBytes;
    private final ObjectMapper mapper;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private long nextId = 1;
    private long memoryBytes;
    private long diskBytes;
    private long droppedPoints;
    private long droppedBatches;
    private boolean closed;

    /**
     * Opens the buffer, finding batches left on disk by an earlier run.
     *
     * @param maxMemoryBatches batches kept in memory before the oldest are spilled
     */
    public MetricsBuffer(Path dir, long maxDiskBytes, int maxMemoryBatches, long maxMemoryBytes, ObjectMapper mapper)
            throws IOException {
        this.dir = dir;
        this.maxDiskBytes = maxDiskBytes;
        this.maxMemoryBatches = maxMemoryBatches;
        this.maxMemoryBytes = maxMemoryBytes;
        this.mapper = mapper;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher m = FILE.matcher(name);
                if (m.matches()) {
                    Entry entry = new Entry(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)));
                    entry.diskBytes = Files.size(file);
                    diskBytes += entry.diskBytes;
                    entries.put(entry.id, entry);
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // a write cut short
                }
            }
        }
        if (!entries.isEmpty()) {
            nextId = entries.lastKey() + 1;
            LOG.log(
                    Level.INFO,
                    "{0} metric batches ({1} bytes) left in {2}: replaying them",
                    entries.size(),
                    diskBytes,
                    dir);
        }
        Path dropped = dir.resolve(DROPPED_FILE);
        if (Files.isRegularFile(dropped)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(dropped)) {
                p.load(in);
            }
            droppedPoints = Long.parseLong(p.getProperty("points", "0"));
            droppedBatches = Long.parseLong(p.getProperty("batches", "0"));
        }
        enforceDiskBound();
    }

    /** Adds a batch (a JSON array of series) carrying {@code points} points; returns its id. */
    public synchronized long add(JsonNode series, int points) throws IOException {
        if (closed) {
            throw new IllegalStateException("buffer closed");
        }
        Entry entry = new Entry(nextId++, points);
        entry.json = mapper.writeValueAsBytes(series);
        memoryBytes += entry.json.length;
        entries.put(entry.id, entry);
        spillWhileOverMemoryBound();
        return entry.id;
    }

    @Override
    public synchronized Batch poll() {
        for (Entry entry : entries.values()) {
            if (entry.inFlight) {
                continue;
            }
            try {
                JsonNode series = entry.json != null ? mapper.readTree(entry.json) : readFile(entry);
                entry.inFlight = true;
                return new Batch(entry.id, series);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "metric batch " + entry.id + " unreadable, dropped", e);
                drop(entry);
                return poll();
            }
        }
        return null;
    }

    @Override
    public synchronized void acknowledge(Batch batch) {
        Entry entry = entries.remove(batch.id());
        if (entry != null) {
            forget(entry);
        }
    }

    @Override
    public synchronized void giveBack(Batch batch) {
        Entry entry = entries.get(batch.id());
        if (entry != null) {
            entry.inFlight = false;
            if (!closed) {
                spillWhileOverMemoryBound();
            }
        }
    }

    @Override
    public synchronized boolean hasPending() {
        return entries.values().stream().anyMatch(e -> !e.inFlight);
    }

    public synchronized Stats stats() {
        int memory = 0;
        int flight = 0;
        for (Entry e : entries.values()) {
            memory += e.json != null ? 1 : 0;
            flight += e.inFlight ? 1 : 0;
        }
        return new Stats(
                entries.size(),
                memory,
                entries.size() - memory,
                flight,
                memoryBytes,
                diskBytes,
                droppedPoints,
                droppedBatches);
    }

    /** Spills every batch still in memory (in flight or not) to disk; later adds fail. */
    public synchronized void close() {
        closed = true;
        for (Entry entry : entries.values()) {
            if (entry.json != null) {
                spill(entry);
            }
        }
        enforceDiskBound();
    }

    private void spillWhileOverMemoryBound() {
        Iterator<Entry> oldest = entries.values().iterator();
        while ((countInMemory() > maxMemoryBatches || memoryBytes > maxMemoryBytes) && oldest.hasNext()) {
            Entry entry = oldest.next();
            if (entry.json != null && !entry.inFlight) {
                spill(entry);
            }
        }
        enforceDiskBound();
    }

    private int countInMemory() {
        int n = 0;
        for (Entry e : entries.values()) {
            n += e.json != null && !e.inFlight ? 1 : 0;
        }
        return n;
    }

    private void spill(Entry entry) {
        Path file = file(entry);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 8192)) {
                out.write(entry.json);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            memoryBytes -= entry.json.length;
            entry.json = null;
            entry.diskBytes = Files.size(file);
            diskBytes += entry.diskBytes;
        } catch (IOException e) {
            // disk full or unwritable: the batch stays in memory (bounded by dropping below)
            LOG.log(Level.WARNING, "cannot spill metric batch to " + dir + ": " + e.getMessage());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            if (memoryBytes > maxMemoryBytes * 4) {
                drop(entry);
            }
        }
    }

    private void enforceDiskBound() {
        Iterator<Map.Entry<Long, Entry>> oldest = entries.entrySet().iterator();
        boolean changed = false;
        while (diskBytes > maxDiskBytes && oldest.hasNext()) {
            Entry entry = oldest.next().getValue();
            if (entry.json == null && !entry.inFlight) {
                oldest.remove();
                forget(entry);
                droppedPoints += entry.points;
                droppedBatches++;
                changed = true;
            }
        }
        if (changed) {
            saveDropped();
        }
    }

    private void drop(Entry entry) {
        entries.remove(entry.id);
        forget(entry);
        droppedPoints += entry.points;
        droppedBatches++;
        saveDropped();
    }

    private void forget(Entry entry) {
        if (entry.json != null) {
            memoryBytes -= entry.json.length;
            entry.json = null;
        } else {
            diskBytes -= entry.diskBytes;
            try {
                Files.deleteIfExists(file(entry));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot delete " + file(entry) + ": " + e.getMessage());
            }
        }
    }

    private JsonNode readFile(Entry entry) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file(entry)), 8192)) {
            return mapper.readTree(in);
        }
    }

    private Path file(Entry entry) {
        return dir.resolve(String.format("%019d-%d.json.gz", entry.id, entry.points));
    }

    private void saveDropped() {
        Properties p = new Properties();
        p.setProperty("points", Long.toString(droppedPoints));
        p.setProperty("batches", Long.toString(droppedBatches));
        Path tmp = dir.resolve(DROPPED_FILE + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "metric samples dropped because the buffer was full");
            }
            Files.move(
                    tmp,
                    dir.resolve(DROPPED_FILE),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot save the dropped count: " + e.getMessage());
        }
    }
}
