package dev.fleetgate.security.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.fleetgate.security.User;

/**
 * Remembers for a few seconds whether a user exists (and their roles), so that checking a
 * token does not cost a database query per request. Bounded: cleared when it grows too big.
 */
public final class UserLookupCache {
    private final Function<String, Optional<User>> lookup;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Optional<User> user, long expiresAt) {}

    public UserLookupCache(
            Function<String, Optional<User>> lookup, Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this.lookup = lookup;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    public Optional<User> get(String username) {
        long now = nanoTime.getAsLong();
        Entry e = entries.get(username);
        if (e != null && now - e.expiresAt < 0) {
            return e.user;
        }
        Optional<User> user = lookup.apply(username);
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(x -> now - x.expiresAt >= 0);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(username, new Entry(user, now + ttlNanos));
        return user;
    }

    /** Forgets what is known about one user (after deleting it on this core). */
    public void invalidate(String username) {
        entries.remove(username);
    }

    int size() {
        return entries.size();
    }
}
