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
 *
 * <p>Per account, across all addresses ({@link AccountBackoff}): failures form a streak
 * until {@code window} passes without one; from the {@code threshold}-th failure of a streak
 * on, each failure locks the account for a delay that doubles per further failure, up to
 * {@code maxDelay} (an attacker then gets one guess per {@code maxDelay}). The lock is temporary, a
 * successful login clears it, and addresses the user logged in from successfully before
 * ({@code knownAddressTtl}) are not subject to it: an attacker spraying from elsewhere
 * cannot lock the admin out of their usual place.
 */
public final class LoginThrottle {
    /**
     * The per-account limit.
     *
     * @param threshold       failures in a streak before the first delay
     * @param window          quiet time that ends a streak
     * @param baseDelay       the first delay; doubled per further failure
     * @param maxDelay        the cap of the delay
     * @param knownAddressTtl how long an address the user logged in from is exempt
     */
    public record AccountBackoff(
            int threshold, Duration window, Duration baseDelay, Duration maxDelay, Duration knownAddressTtl) {
        public static final AccountBackoff DEFAULT = new AccountBackoff(
                10, Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofDays(30));

        public AccountBackoff {
            if (threshold < 1
                    || window.toMillis() < 1
                    || baseDelay.toMillis() < 1
                    || maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException("Account backoff limits must be positive");
            }
        }

        /** @return the delay after {@code failures} failures in a streak (0 below the threshold) */
        long delayMillis(int failures) {
            if (failures < threshold) {
                return 0;
            }
            int doublings = Math.min(failures - threshold, 40);
            long delay = baseDelay.toMillis() << doublings;
            return delay <= 0 || delay > maxDelay.toMillis() ? maxDelay.toMillis() : delay;
        }
    }

    private final int maxPerUser;
    private final int maxPerAddress;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Counters perUser;
    private final Counters perAddress;
    private final AccountBackoff backoff;
    /** Failure streak per account (lower-case user name). */
    private final Map<String, Streak> perAccount;
    /** (user, address) keys of successful logins → when they last succeeded. */
    private final Map<String, Long> knownAddresses;

    private long lastPurge;

    public LoginThrottle(int maxPerUser, int maxPerAddress, Duration window, int maxKeys, LongSupplier clockMillis) {
        this(maxPerUser, maxPerAddress, window, AccountBackoff.DEFAULT, maxKeys, clockMillis);
    }

    public LoginThrottle(
            int maxPerUser,
            int maxPerAddress,
            Duration window,
            AccountBackoff backoff,
            int maxKeys,
            LongSupplier clockMillis) {
        if (maxPerUser < 1 || maxPerAddress < 1 || window.toMillis() < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("Login throttle limits must be positive");
        }
        this.maxPerUser = maxPerUser;
        this.maxPerAddress = maxPerAddress;
        this.windowMillis = window.toMillis();
        this.clock = clockMillis;
        this.perUser = new Counters(maxKeys);
        this.perAddress = new Counters(maxKeys);
        this.backoff = backoff;
        this.perAccount = lru(maxKeys);
        this.knownAddresses = lru(maxKeys);
        this.lastPurge = clockMillis.getAsLong();
    }

    /** @return seconds until a login may be tried again, or empty when it may be tried now */
    public synchronized OptionalLong retryAfterSeconds(String username, String address) {
        long now = clock.getAsLong();
        long waitMillis = Math.max(
                wait(perUser, userKey(username, address), maxPerUser, now),
                wait(perAddress, addressKey(address), maxPerAddress, now));
        if (!known(username, address, now)) {
            Streak streak = perAccount.get(accountKey(username));
            if (streak != null) {
                waitMillis = Math.max(waitMillis, streak.lockedUntil - now);
            }
        }
        return waitMillis <= 0 ? OptionalLong.empty() : OptionalLong.of((waitMillis + 999) / 1000);
    }

    public synchronized void recordFailure(String username, String address) {
        long now = clock.getAsLong();
        purgeIfDue(now);
        perUser.map
                .computeIfAbsent(userKey(username, address), k -> new ArrayDeque<>())
                .addLast(now);
        perAddress
                .map
                .computeIfAbsent(addressKey(address), k -> new ArrayDeque<>())
                .addLast(now);
        Streak streak = perAccount.computeIfAbsent(accountKey(username), k -> new Streak());
        if (now - streak.lastFailure >= backoff.window().toMillis()) {
            streak.failures = 0;
        }
        streak.failures++;
        streak.lastFailure = now;
        streak.lockedUntil = now + backoff.delayMillis(streak.failures);
    }

    /**
     * A successful login forgets the failures of this user from this address, clears the
     * account's backoff and remembers the address as known for this user.
     */
    public synchronized void recordSuccess(String username, String address) {
        perUser.map.remove(userKey(username, address));
        perAccount.remove(accountKey(username));
        knownAddresses.put(userKey(username, address), clock.getAsLong());
    }

    private boolean known(String username, String address, long now) {
        Long last = knownAddresses.get(userKey(username, address));
        return last != null && now - last < backoff.knownAddressTtl().toMillis();
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
        perAccount
                .values()
                .removeIf(st -> now - st.lastFailure >= backoff.window().toMillis() && st.lockedUntil <= now);
    }

    private static String userKey(String username, String address) {
        return (username == null ? "" : username.toLowerCase(Locale.ROOT)) + '\u0000' + addressKey(address);
    }

    private static String accountKey(String username) {
        return username == null ? "" : username.toLowerCase(Locale.ROOT);
    }

    private static <V> Map<String, V> lru(int maxKeys) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxKeys;
            }
        };
    }

    private static String addressKey(String address) {
        return address == null || address.isBlank() ? "unknown" : address;
    }

    /** Consecutive failures of one account. */
    private static final class Streak {
        int failures;
        long lastFailure = Long.MIN_VALUE / 2;
        long lockedUntil;
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
