package dev.fleetgate.firewall.detect;

import java.util.List;
import java.util.Map;

/**
 * A detector's verdict on one client, with its evidence.
 *
 * @param client     the client's address
 * @param serviceId  the service of the request that tipped it, or {@code null}
 * @param detector   one of {@link Settings#DETECTORS}
 * @param action     {@code block} (403) or {@code limit} (429)
 * @param enforce    whether the detector's mode is {@code enforce} (else {@code shadow}: report only)
 * @param score      how far over the threshold (≥ 1)
 * @param reason     one line for people
 * @param line       the log line number that tipped it (replay), or the analyser's request count (live)
 * @param timeMillis the time of that request
 * @param counts     the window counts the decision was taken on (and the threshold)
 * @param samples    a few of the client's recent lines, suspicious ones first
 */
public record Decision(
        String client,
        String serviceId,
        String detector,
        String action,
        boolean enforce,
        double score,
        String reason,
        long line,
        long timeMillis,
        Map<String, Long> counts,
        List<String> samples) {}
