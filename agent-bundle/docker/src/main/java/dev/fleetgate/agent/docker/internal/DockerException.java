package dev.fleetgate.agent.docker.internal;

import java.io.IOException;

/** A Docker Engine API call failed: an HTTP status from the engine, or no engine ({@code status} 0). */
public class DockerException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public DockerException(int status, String message) {
        super(message);
        this.status = status;
    }

    public DockerException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** @return the engine's HTTP status, 0 when the engine could not be reached */
    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }
}
