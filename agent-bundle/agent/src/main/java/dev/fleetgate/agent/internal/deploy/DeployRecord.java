package dev.fleetgate.agent.internal.deploy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The deployer's own record, {@code <stateDir>/bundles.json}: what should be installed and
 * from which jar each managed bundle was installed. A wiped framework cache is rebuilt from it.
 *
 * @param bundles   the desired list last received
 * @param installed SHA-256 of the jar each managed bundle was installed from, by name
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeployRecord(List<DesiredBundle> bundles, Map<String, String> installed) {

    public DeployRecord {
        bundles = bundles == null ? List.of() : List.copyOf(bundles);
        installed = installed == null ? Map.of() : Map.copyOf(installed);
    }
}
