package dev.fleetgate.firewall.command;

import java.util.UUID;

/** Option parsing shared by the firewall commands. */
final class Options {
    private Options() {}

    /**
     * @param service the {@code --service} option, or null
     * @return the service id, null when absent; throws when it is not a UUID (the message is for the shell)
     */
    static UUID serviceId(String service) {
        if (service == null) {
            return null;
        }
        try {
            return UUID.fromString(service);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--service must be a service id");
        }
    }
}
