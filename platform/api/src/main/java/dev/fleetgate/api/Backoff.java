package dev.fleetgate.api;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with up to 20 % jitter, capped: the one retry delay every core module uses. */
public record Backoff(Duration initial, Duration max) {

    /** @param failures consecutive failures so far, at least 1 */
    public Duration delay(int failures) {
        int shift = Math.max(0, Math.min(30, failures - 1));
        long millis = Math.min(max.toMillis(), initial.toMillis() << shift);
        long jitter = millis / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(millis / 5 + 1);
        return Duration.ofMillis(Math.min(max.toMillis(), millis - millis / 10 + jitter));
    }
}
