package dev.fleetgate.agent.internal.deploy;

/** Some desired bundles could not be installed or started (the others were). */
public final class DeployException extends Exception {

    private static final long serialVersionUID = 1L;

    public DeployException(String message) {
        super(message);
    }
}
