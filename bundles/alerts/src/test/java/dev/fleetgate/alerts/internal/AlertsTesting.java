package dev.fleetgate.alerts.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

import javax.sql.DataSource;

import dev.fleetgate.security.SecretBox;

/** Builds the module's components for tests outside this package. */
public final class AlertsTesting {
    private AlertsTesting() {}

    public static void migrate(DataSource ds) throws Exception {
        Fixtures.migrate(ds);
    }

    public static SecretBox secretBox() {
        return Fixtures.secretBox();
    }

    /** A configuration with the defaults, except {@code overrides}; periodic work effectively off. */
    public static AlertsConfig config(Map<String, Object> overrides) {
        return (AlertsConfig) Proxy.newProxyInstance(
                AlertsConfig.class.getClassLoader(), new Class<?>[] {AlertsConfig.class}, (p, m, args) -> {
                    if (overrides.containsKey(m.getName())) {
                        return overrides.get(m.getName());
                    }
                    return switch (m.getName()) {
                        case "evaluationIntervalSeconds" -> 100_000;
                        case "dispatchIntervalMillis" -> 100_000_000;
                        case "annotationType" -> AlertsConfig.class;
                        case "hashCode" -> 0;
                        case "equals" -> p == args[0];
                        case "toString" -> "AlertsConfig";
                        default -> m.getDefaultValue();
                    };
                });
    }

    /** The runtime with the three channel types bound. Close with {@link #stop}. */
    public static AlertsRuntime runtime(AlertStore store, SecretBox box, Map<String, Object> config) {
        AlertsRuntime r = new AlertsRuntime(store, box, config(config));
        r.bindChannel(new TelegramChannel());
        r.bindChannel(new WebhookChannel());
        r.bindChannel(new EmailChannel());
        return r;
    }

    public static void stop(AlertsRuntime r) {
        r.deactivate();
    }
}
