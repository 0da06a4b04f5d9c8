package dev.fleetgate.proxy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One backend address.
 *
 * @param host               IPv4 or IPv6 literal (without brackets) or host name
 * @param port               1..65535
 * @param weight             1..100
 * @param maxFails           failed attempts before the target is taken out (passive
 *                           check), null = the agent's default
 * @param failTimeoutSeconds how long a failed target stays out, null = the agent's default
 * @param backup             used only when every non-backup target is down
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Target(String host, int port, int weight, Integer maxFails, Integer failTimeoutSeconds, boolean backup) {

    public Target {
        weight = weight <= 0 ? 1 : weight;
    }

    public static Target of(String host, int port) {
        return new Target(host, port, 1, null, null, false);
    }
}
