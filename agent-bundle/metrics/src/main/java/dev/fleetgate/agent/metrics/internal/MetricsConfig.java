package dev.fleetgate.agent.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code dev.fleetgate.agent.metrics} ({@code etc/dev.fleetgate.agent.metrics.cfg}). */
@ObjectClassDefinition(
        name = "Fleetgate agent metrics",
        description = "Host, container and nginx collectors, scrapes, buffer")
public @interface MetricsConfig {

    String PID = "dev.fleetgate.agent.metrics";

    @AttributeDefinition(
            description = "Root under which /proc and /sys are read (/host when the host's / is mounted there)")
    String hostRoot() default "/";

    @AttributeDefinition(description = "Collection interval in seconds until the core's metrics section says otherwise")
    int intervalSeconds() default 10;

    @AttributeDefinition(
            description =
                    "Bound of the on-disk buffer (<stateDir>/metrics) in bytes; the oldest batches are dropped beyond it")
    long bufferMaxBytes() default 64L * 1024 * 1024;

    @AttributeDefinition(description = "Most series in one batch (one sync request)")
    int maxSeriesPerBatch() default 2000;

    @AttributeDefinition(description = "Most distinct series collected in one interval")
    int maxSeries() default 50000;

    @AttributeDefinition(description = "cgroup mount; empty = <hostRoot>/sys/fs/cgroup")
    String cgroupRoot() default "";

    @AttributeDefinition(description = "nginx admin port on 127.0.0.1 serving /nginx_status")
    int adminPort() default 18081;

    @AttributeDefinition(description = "Docker Engine API socket (read-only use: the container list)")
    String dockerHost() default "unix:///var/run/docker.sock";

    @AttributeDefinition(description = "Collect container metrics")
    boolean containers() default true;

    @AttributeDefinition(description = "Collect nginx stub_status metrics")
    boolean nginx() default true;
}
