package dev.fleetgate.agent.internal;

import java.io.IOException;

/** The core answered with an unexpected HTTP status. */
public final class CoreStatusException extends IOException {

    private static final long serialVersionUID = 1L;
    private final int status;

    public CoreStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** @return whether retrying later may help (5xx, 408, 429) */
    public boolean transientFailure() {
        return status >= 500 || status == 408 || status == 429;
    }
}
