package dev.fleetgate.firewall.command;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.fleetgate.firewall.detect.Decision;
import dev.fleetgate.firewall.detect.Replay;
import dev.fleetgate.firewall.internal.FirewallService;

/**
 * {@code fleetgate:firewall-replay <file>}: runs the detectors over an access log on the core's disk (nginx
 * {@code combined} or Fleetgate JSON lines; {@code .gz} is decompressed) and prints who would be blocked.
 */
@Command(scope = "fleetgate", name = "firewall-replay", description = "Replays an access log through the detectors")
@Service
public class FirewallReplayCommand implements Action {

    @Reference
    FirewallService firewall;

    @Argument(
            index = 0,
            name = "file",
            description = "Access log (combined or Fleetgate JSON; .gz allowed)",
            required = true)
    String file;

    @Override
    public Object execute() throws Exception {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            System.err.println("No file " + file);
            return null;
        }
        Replay.Result r;
        try (InputStream raw = Files.newInputStream(p);
                InputStream in = file.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            r = firewall.replay(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        System.out.printf(
                "%,d lines (%,d requests) in %.2f s = %,.0f lines/s; %d client(s) would be blocked%s%n",
                r.lines(),
                r.parsed(),
                r.seconds(),
                r.linesPerSecond(),
                r.decisions().size(),
                r.truncated() ? " (list truncated)" : "");
        for (Decision d : r.decisions()) {
            System.out.printf(
                    "line %-10d %-40s %-10s %-7s %s%n",
                    d.line(), d.client(), d.detector(), d.enforce() ? "enforce" : "shadow", d.reason());
        }
        return null;
    }
}
