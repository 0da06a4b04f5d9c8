package dev.fleetgate.agent.nginx.internal;

/**
 * Active health of one target: {@code PENDING} (new, not yet checked: out of rotation), {@code UP} (in rotation)
 * or {@code DOWN}. A new target enters rotation after its first successful check; an {@code UP} target leaves
 * after {@code fall} consecutive failures; a {@code DOWN} one returns after {@code rise} consecutive successes.
 * Not thread-safe: the {@link HealthChecker} guards it.
 */
public final class HealthState {

    public enum Status {
        PENDING,
        UP,
        DOWN
    }

    private int rise;
    private int fall;
    private Status status;
    private int successes;
    private int failures;
    private long checks;
    private String lastError;

    /** @param status the initial status: PENDING for a new target, UP for one that served before checks began */
    public HealthState(int rise, int fall, Status status) {
        this.status = status;
        limits(rise, fall);
    }

    public void limits(int newRise, int newFall) {
        this.rise = Math.max(1, newRise);
        this.fall = Math.max(1, newFall);
    }

    /**
     * Records the outcome of one check.
     *
     * @param error null for success, else why it failed
     * @return whether {@link #inRotation()} changed
     */
    public boolean record(String error) {
        boolean before = inRotation();
        checks++;
        if (error == null) {
            failures = 0;
            successes++;
            lastError = null;
            if (status == Status.PENDING || (status == Status.DOWN && successes >= rise)) {
                status = Status.UP;
            }
        } else {
            successes = 0;
            failures++;
            lastError = error;
            if (status != Status.DOWN && failures >= fall) {
                status = Status.DOWN;
            }
        }
        return before != inRotation();
    }

    public boolean inRotation() {
        return status == Status.UP;
    }

    public Status status() {
        return status;
    }

    public long checks() {
        return checks;
    }

    public String lastError() {
        return lastError;
    }
}
