package dev.fleetgate.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * Group commit: callers hand in their items and wait; one thread stores everything handed in so
 * far with one {@link Store#store} call (one statement, one transaction), then wakes them. Under a
 * burst the group grows while the previous one commits (up to {@code maxWeight}, e.g. rows). So
 * many small writes from concurrent requests cost one commit, one WAL flush and one pooled
 * connection instead of one each. A caller that finds nothing stored or waiting stores its item
 * itself, on its own thread: alone, an item costs no hand-off to the writer and back (two thread
 * wake-ups per write, a tenth of the core's CPU while agents sent small metrics batches).
 *
 * <p>A failed group is stored again item by item, so that one caller's unstorable item (or a
 * database hiccup) fails only the callers it belongs to, as their own transactions would have.
 *
 * @param <T> what a caller stores
 */
public final class GroupCommit<T> implements AutoCloseable {
    /** Stores a group of items, all or nothing. */
    @FunctionalInterface
    public interface Store<T> {
        void store(List<T> items) throws Exception;
    }

    private record Pending<T>(T item, CompletableFuture<Void> done) {}

    private final Store<T> store;
    private final ToIntFunction<T> weight;
    private final int maxWeight;
    private final long timeoutMillis;
    private final BlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Held while a group is stored, by the writer or by a caller storing its item alone. */
    private final ReentrantLock storing = new ReentrantLock();
    /** The item the writer took and is about to store (counted as queued). */
    private volatile Pending<T> held;

    private volatile boolean running = true;
    private volatile long groups;

    /**
     * @param threadName    the writer thread's name
     * @param weight        an item's weight (e.g. its rows)
     * @param maxWeight     a group takes items until their weights reach this (one item alone may exceed it)
     * @param timeoutMillis how long {@link #write} waits for its group to commit
     * @param store         stores one group in one transaction
     */
    public GroupCommit(String threadName, ToIntFunction<T> weight, int maxWeight, long timeoutMillis, Store<T> store) {
        this.store = store;
        this.weight = weight;
        this.maxWeight = maxWeight;
        this.timeoutMillis = timeoutMillis;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stores {@code item} with whatever else is waiting; returns once it is committed.
     *
     * @throws IllegalStateException when it was not stored (the store's failure is the cause), or
     *                               not within the timeout, or the writer is closed
     */
    public void write(T item) {
        if (running && held == null && queue.isEmpty() && storing.tryLock()) {
            Exception failure;
            try {
                failure = storeItems(List.of(item));
            } finally {
                storing.unlock();
            }
            if (failure != null) {
                throw unchecked(failure);
            }
            return;
        }
        CompletableFuture<Void> done = submit(item);
        try {
            done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(thread.getName() + ": not stored within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(thread.getName() + ": interrupted while storing", e);
        }
    }

    /**
     * Hands {@code item} to the writer and returns at once: for a caller that can answer before the commit and
     * learn of it later. Never stores on the caller's thread.
     *
     * @return completes when the item is committed; completes exceptionally as {@link #write} throws (the store's
     *         failure, or the writer closed)
     */
    public CompletableFuture<Void> submit(T item) {
        Pending<T> p = new Pending<>(item, new CompletableFuture<>());
        queue.add(p);
        if (!running) {
            failQueued(); // closed: the writer has drained, or will drain, the queue without storing it
        }
        return p.done;
    }

    /** The store's own runtime exception, or its checked one as the cause of an IllegalStateException. */
    private static RuntimeException unchecked(Throwable failure) {
        return failure instanceof RuntimeException r ? r : new IllegalStateException(failure.getMessage(), failure);
    }

    /** @return the groups stored so far (one {@link Store#store} call each, retries of a split group included) */
    public long groups() {
        return groups;
    }

    /** @return items handed in and not yet taken into a group */
    public int queued() {
        return queue.size() + (held == null ? 0 : 1);
    }

    private void run() {
        while (running) {
            try {
                Pending<T> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                held = first;
                storing.lockInterruptibly(); // a caller storing its own item finishes first
                try {
                    held = null;
                    List<Pending<T>> group = new ArrayList<>();
                    group.add(first);
                    int w = weight.applyAsInt(first.item);
                    for (Pending<T> p; w < maxWeight && (p = queue.poll()) != null; ) {
                        group.add(p);
                        w += weight.applyAsInt(p.item);
                    }
                    storeOrSplit(group);
                } finally {
                    storing.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Pending<T> h = held;
        if (h != null) { // closed while waiting for a caller's own store
            held = null;
            h.done.completeExceptionally(new IllegalStateException(thread.getName() + " is closed"));
        }
        failQueued();
    }

    private void failQueued() {
        for (Pending<T> p; (p = queue.poll()) != null; ) {
            p.done.completeExceptionally(new IllegalStateException(thread.getName() + " is closed"));
        }
    }

    private void storeOrSplit(List<Pending<T>> group) {
        Exception failure = storeGroup(group);
        if (failure == null) {
            group.forEach(p -> p.done.complete(null));
            return;
        }
        if (group.size() == 1) {
            group.get(0).done.completeExceptionally(failure);
            return;
        }
        for (Pending<T> p : group) {
            Exception alone = storeGroup(List.of(p));
            if (alone == null) {
                p.done.complete(null);
            } else {
                p.done.completeExceptionally(alone);
            }
        }
    }

    /** @return the failure, or null when stored */
    private Exception storeGroup(List<Pending<T>> group) {
        List<T> items = new ArrayList<>(group.size());
        group.forEach(p -> items.add(p.item));
        return storeItems(items);
    }

    /** Stores with {@link #storing} held. @return the failure, or null when stored */
    private Exception storeItems(List<T> items) {
        try {
            store.store(items);
            return null;
        } catch (Exception e) {
            return e;
        } finally {
            groups++;
        }
    }

    /** Stops the writer; items still queued fail. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
