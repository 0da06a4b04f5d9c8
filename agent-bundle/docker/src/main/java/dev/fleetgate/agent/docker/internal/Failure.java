package dev.fleetgate.agent.docker.internal;

import java.util.concurrent.TimeUnit;

/** A failed attempt (create, image, crash) and when the next one may happen: backoff 0 s, 1 s, 2 s … cap. */
record Failure(String error, int attempts, long nextAttempt, long since) {

    static Failure next(Failure previous, String error, long now, long capMillis) {
        int attempts = previous == null ? 1 : previous.attempts() + 1;
        long delayMillis = attempts == 1 ? 0 : Math.min(capMillis, 1000L << Math.min(20, attempts - 2));
        return new Failure(error, attempts, now + TimeUnit.MILLISECONDS.toNanos(delayMillis), now);
    }

    boolean waiting(long now) {
        return now - nextAttempt < 0;
    }

    Failure cleared() {
        return new Failure(null, attempts, nextAttempt, since);
    }
}
