package dev.fleetgate.security.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Counts failed logins in a sliding window, per (user name, client address) and per client
 * address. Once a key reaches its limit, logins for it are refused until enough of its
 * failures have left the window. Memory is bounded: each map keeps at most {@code maxKeys}
 * keys (least recently used go first) and expired keys are purged once per window.
 */
public final class LoginThrottle {
    private final int maxPerUser;
    private final int maxPerAddress;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Counters perUser;
    private final Counters perAddress;
    private long lastPurge;

    public LoginThrottle(int maxPerUser, int maxPerAddress, Duration window, int maxKeys, LongSupplier clockMillis) {
        if (maxPerUser < 1 || maxPerAddress < 1 || window.toMillis() < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("Login throttle limits must be positive");
        }
        this.maxPerUser = maxPerUser;
        this.maxPerAddress = maxPerAddress;
        this.windowMillis = window.toMillis();
        this.clock = clockMillis;
        this.perUser = new Counters(maxKeys);
        this.perAddress = new Counters(maxKeys);
        this.lastPurge = clockMillis.getAsLong();
    }

    /** @return seconds until a login may be tried again, or empty when it may be tried now */
    public synchronized OptionalLong retryAfterSeconds(String username, String address) {
        long now = clock.getAsLong();
        long waitMillis = Math.max(wait(perUser, userKey(username, address), maxPerUser, now),
                wait(perAddress, addressKey(address), maxPerAddress, now));
        return waitMillis <= 0 ? OptionalLong.empty() : OptionalLong.of((waitMillis + 999) / 1000);
    }

    public synchronized void recordFailure(String username, String address) {
        long now = clock.getAsLong();
        purgeIfDue(now);
        perUser.map.computeIfAbsent(userKey(username, address), k -> new ArrayDeque<>()).addLast(now);
        perAddress.map.computeIfAbsent(addressKey(address), k -> new ArrayDeque<>()).addLast(now);
    }

    /** A successful login forgets the failures of this user from this address. */
    public synchronized void recordSuccess(String username, String address) {
        perUser.map.remove(userKey(username, address));
    }

    synchronized int trackedKeys() {
        return perUser.map.size() + perAddress.map.size();
    }

    private long wait(Counters counters, String key, int max, long now) {
        ArrayDeque<Long> failures = counters.map.get(key);
        if (failures == null) {
            return 0;
        }
        prune(failures, now);
        if (failures.isEmpty()) {
            counters.map.remove(key);
            return 0;
        }
        if (failures.size() < max) {
            return 0;
        }
        // Allowed again once the count drops below max: when the (size - max + 1)-th oldest expires.
        Iterator<Long> it = failures.iterator();
        long t = 0;
        for (int i = 0; i <= failures.size() - max; i++) {
            t = it.next();
        }
        return t + windowMillis - now;
    }

    private void prune(ArrayDeque<Long> failures, long now) {
        while (!failures.isEmpty() && failures.peekFirst() <= now - windowMillis) {
            failures.removeFirst();
        }
    }

    private void purgeIfDue(long now) {
        if (now - lastPurge < windowMillis) {
            return;
        }
        lastPurge = now;
        for (Counters c : new Counters[] {perUser, perAddress}) {
            c.map.values().removeIf(failures -> {
                prune(failures, now);
                return failures.isEmpty();
            });
        }
    }

    private static String userKey(String username, String address) {
        return (username == null ? "" : username.toLowerCase(Locale.ROOT)) + '\u0000' + addressKey(address);
    }

    private static String addressKey(String address) {
        return address == null || address.isBlank() ? "unknown" : address;
    }

    /** Failure times per key, least recently used key first. */
    private static final class Counters {
        final Map<String, ArrayDeque<Long>> map;

        Counters(int maxKeys) {
            this.map = new LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
                    return size() > maxKeys;
                }
            };
        }
    }
}
