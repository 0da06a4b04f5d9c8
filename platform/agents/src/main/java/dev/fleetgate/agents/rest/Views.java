package dev.fleetgate.agents.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agents.internal.BundleRepository;
import dev.fleetgate.agents.internal.Enrolment;
import dev.fleetgate.agents.internal.SyncService;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.TaskView;

/** The JSON shapes of the agents API (times as ISO-8601 UTC text). */
public final class Views {

    private Views() {}

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    public record Agent(
            String id,
            String name,
            String hostname,
            String role,
            String status,
            String lastSeenAt,
            String version,
            String address) {
        static Agent of(AgentInfo a) {
            return new Agent(
                    a.id(),
                    a.name(),
                    a.hostname(),
                    a.role().value(),
                    a.status().name(),
                    time(a.lastSeenAt()),
                    a.version(),
                    a.address());
        }
    }

    /**
     * @param coreFingerprint the pin for {@code --core-fingerprint}; @param command a ready-to-paste agent command line
     * @param installCommand  the one-line install command (download, enrol, start), null when the core serves no HTTPS
     */
    public record Token(
            String token, String expiresAt, String coreFingerprint, String command, String installCommand) {}

    /** The agent distribution as served: {@code sha256} is what {@code GET /agents/distribution} sends. */
    public record Distribution(String fileName, long size, String sha256, String modifiedAt) {}

    /** An open enrolment token as listed (never the token itself). */
    public record OpenToken(String id, String name, String createdBy, String createdAt, String expiresAt) {
        static OpenToken of(Enrolment.OpenToken t) {
            return new OpenToken(t.id(), t.name(), t.createdBy(), time(t.createdAt()), time(t.expiresAt()));
        }
    }

    /** @param bundleSigningKey the core's Ed25519 public key (base64 X.509) that signs every deployed bundle */
    public record Enrolled(String agentId, String apiKey, int syncIntervalSeconds, String bundleSigningKey) {}

    public record Task(
            String id,
            String agentId,
            String type,
            JsonNode payload,
            String status,
            JsonNode result,
            String error,
            int attempts,
            String createdAt,
            String deliveredAt,
            String completedAt,
            String expiresAt) {
        static Task of(TaskView t) {
            return new Task(
                    t.id(),
                    t.agentId(),
                    t.type(),
                    t.payload(),
                    t.status().name(),
                    t.result(),
                    t.error(),
                    t.attempts(),
                    time(t.createdAt()),
                    time(t.deliveredAt()),
                    time(t.completedAt()),
                    time(t.expiresAt()));
        }
    }

    public record Section(
            long desiredRevision, long appliedRevision, long failedRevision, String error, String state) {}

    public record State(Map<String, Section> sections) {
        static State of(Map<String, DesiredStateService.SectionState> states) {
            Map<String, Section> out = new LinkedHashMap<>();
            states.forEach((k, s) -> out.put(
                    k,
                    new Section(
                            s.desiredRevision(),
                            s.appliedRevision(),
                            s.failedRevision(),
                            s.error(),
                            s.phase().name())));
            return new State(out);
        }
    }

    public record Deployments(boolean allAgents, List<String> agentIds) {}

    public record Bundle(
            String id,
            String symbolicName,
            String version,
            String sha256,
            long size,
            String uploadedAt,
            String uploadedBy,
            Deployments deployments) {
        static Bundle of(BundleRepository.Artifact a) {
            return new Bundle(
                    a.id(),
                    a.symbolicName(),
                    a.version(),
                    a.sha256(),
                    a.size(),
                    time(a.uploadedAt()),
                    a.uploadedBy(),
                    new Deployments(a.deployedToAll(), a.deployedTo()));
        }
    }

    public record SectionBody(long revision, JsonNode body) {}

    public record TaskDelivery(String id, String type, JsonNode payload, String expiresAt) {}

    /**
     * @param metricsStored batches ({@code metricsBatch}) committed since the previous answer; absent when the agent
     *                      sent none (then a 200 means its batch is stored)
     * @param metricsFailed accepted batches that could not be stored: to send again; absent as above
     */
    public record SyncAnswer(
            Map<String, SectionBody> sections,
            List<TaskDelivery> tasks,
            int syncIntervalSeconds,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Long> metricsStored,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Long> metricsFailed) {
        static SyncAnswer of(SyncService.Answer a) {
            Map<String, SectionBody> s = new LinkedHashMap<>();
            a.sections().forEach((k, v) -> s.put(k, new SectionBody(v.revision(), v.body())));
            List<TaskDelivery> t = a.tasks().stream()
                    .map(d -> new TaskDelivery(d.id(), d.type(), d.payload(), time(d.expiresAt())))
                    .toList();
            return new SyncAnswer(s, t, a.syncIntervalSeconds(), a.metricsStored(), a.metricsFailed());
        }
    }
}
