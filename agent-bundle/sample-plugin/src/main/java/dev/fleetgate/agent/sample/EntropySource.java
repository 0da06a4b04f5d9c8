package dev.fleetgate.agent.sample;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.annotation.bundle.Header;
import org.osgi.service.component.annotations.Component;

import dev.fleetgate.agent.sdk.MetricSink;
import dev.fleetgate.agent.sdk.MetricSource;

/**
 * Sample plugin: the kernel's entropy pool and the open file handles of the host,
 * every 10 s. Build it, upload the jar to the core, add it to an agent's bundles.
 */
@Header(name = "Fleetgate-Agent-Plugin", value = "sample")
@Component(property = {MetricSource.NAME + "=sample", MetricSource.INTERVAL + ":Integer=10"})
public class EntropySource implements MetricSource {

    private static final Path ENTROPY = Path.of("/proc/sys/kernel/random/entropy_avail");
    private static final Path FILE_NR = Path.of("/proc/sys/fs/file-nr");

    @Override
    public void collect(MetricSink sink) throws Exception {
        sink.gauge(
                "sample_entropy_available_bits",
                Double.parseDouble(Files.readAllLines(ENTROPY).get(0).trim()));
        // file-nr: allocated, unused (always 0 on Linux 2.6+), maximum. Not Files.readString:
        // on /proc/sys files it returns the first byte only (they report size 0).
        String[] fileNr = Files.readAllLines(FILE_NR).get(0).trim().split("\\s+");
        sink.gauge("sample_open_files", Double.parseDouble(fileNr[0]) - Double.parseDouble(fileNr[1]));
        sink.gauge("sample_max_open_files", Double.parseDouble(fileNr[2]));
    }
}
