package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.fleetgate.agent.AccessLogEntry;
import dev.fleetgate.agent.AccessLogListener;
import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.Threads;

/**
 * The one reader of nginx's JSON access log: tails {@code <workDir>/logs/access.log} (from its end, surviving
 * rotation), parses each line once and hands batches of {@link AccessLogEntry} to every
 * {@link AccessLogListener}. It also rotates the access and error logs when the access log grows past
 * {@code accessLogMaxBytes} (one old file {@code .1} kept; {@code nginx -s reopen}).
 */
@Component(configurationPid = NginxConfiguration.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AccessLogReader {

    private static final Logger LOG = System.getLogger(AccessLogReader.class.getName());
    static final int BATCH = 1000;

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<AccessLogListener> listeners = new ArrayList<>();

    private final NginxSettings settings;
    private final LogTailer tailer;
    private final NginxProcess nginx;
    private final ScheduledExecutorService executor;

    @Activate
    public AccessLogReader(@Reference AgentContext agent, NginxConfiguration config, Map<String, Object> properties) {
        this.settings = NginxSettings.from(config, agent.stateDir());
        this.tailer = new LogTailer(settings.accessLog(), true, 3_000);
        this.nginx = new NginxProcess(settings.nginxBinary(), settings.pidFile());
        this.executor = Threads.scheduler("fleetgate-nginx-access-log", 1);
        executor.scheduleWithFixedDelay(
                this::poll, settings.accessLogPollMillis(), settings.accessLogPollMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
        tailer.close();
    }

    void poll() {
        try {
            List<String> lines = tailer.poll();
            List<AccessLogListener> targets = listeners;
            if (!lines.isEmpty() && !targets.isEmpty()) {
                deliver(lines, targets);
            }
            rotateIfLarge();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "reading the nginx access log: {0}", e.toString());
        }
    }

    static void deliver(List<String> lines, List<AccessLogListener> targets) {
        List<AccessLogEntry> batch = new ArrayList<>(Math.min(lines.size(), BATCH));
        for (String line : lines) {
            AccessLogEntry e = AccessLogParser.parse(line);
            if (e != null) {
                batch.add(e);
            }
            if (batch.size() == BATCH) {
                fanOut(List.copyOf(batch), targets);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            fanOut(List.copyOf(batch), targets);
        }
    }

    private static void fanOut(List<AccessLogEntry> batch, List<AccessLogListener> targets) {
        for (AccessLogListener l : targets) {
            try {
                l.onAccessLog(batch);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an access log listener failed", e);
            }
        }
    }

    private void rotateIfLarge() throws IOException {
        long max = settings.accessLogMaxBytes();
        if (max <= 0) {
            return;
        }
        try {
            if (Files.size(settings.accessLog()) <= max) {
                return;
            }
        } catch (NoSuchFileException e) {
            return;
        }
        for (Path log : List.of(settings.accessLog(), settings.errorLog())) {
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        NginxProcess.Result r = nginx.signal(settings.confFile(), "reopen");
        LOG.log(r.ok() ? Level.INFO : Level.WARNING, "rotated the nginx logs: {0}", r.ok() ? "reopened" : r.output());
    }
}
