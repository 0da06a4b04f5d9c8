package dev.fleetgate.agents.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.TaskStatus;

/**
 * The body of a sync request, parsed leniently: unknown fields are ignored, malformed known
 * fields are reported as 400. Text PostgreSQL cannot store (U+0000) is made storable first
 * ({@link StorableText}), so that no text of a report can fail the sync.
 */
public record SyncReport(
        String version,
        String hostname,
        String address,
        Map<String, Applied> applied,
        List<TaskQueue.Result> taskResults,
        JsonNode metrics,
        JsonNode status,
        long metricsBatch) {

    /** What the agent reports for one section: the last revision attempted, and its error. */
    public record Applied(long revision, String error) {}

    public static SyncReport parse(JsonNode raw) {
        JsonNode body = StorableText.clean(raw);
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new SyncReport(null, null, null, Map.of(), List.of(), null, null, -1);
        }
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw ApiException.invalid("", "must be a JSON object");
        }
        Map<String, Applied> applied = new LinkedHashMap<>();
        JsonNode a = body.get("applied");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                errors.add(new FieldError("applied", "must be an object"));
            } else {
                Iterator<Map.Entry<String, JsonNode>> it = a.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode rev = e.getValue().get("revision");
                    if (rev == null || !rev.canConvertToLong() || rev.asLong() < 0) {
                        errors.add(new FieldError("applied." + e.getKey() + ".revision", "must be a number >= 0"));
                        continue;
                    }
                    applied.put(
                            e.getKey(),
                            new Applied(rev.asLong(), text(e.getValue().get("error"))));
                }
            }
        }
        List<TaskQueue.Result> results = new ArrayList<>();
        JsonNode r = body.get("taskResults");
        if (r != null && !r.isNull()) {
            if (!r.isArray()) {
                errors.add(new FieldError("taskResults", "must be an array"));
            } else {
                for (int i = 0; i < r.size(); i++) {
                    JsonNode t = r.get(i);
                    String id = text(t.get("id"));
                    java.util.Optional<TaskStatus> status =
                            TaskStatus.parse(text(t.get("status"))).filter(TaskStatus::reportable);
                    if (id == null || Ids.parse(id).isEmpty()) {
                        errors.add(new FieldError("taskResults[" + i + "].id", "must be a task id"));
                    } else if (status.isEmpty()) {
                        errors.add(new FieldError("taskResults[" + i + "].status", "must be SUCCEEDED or FAILED"));
                    } else {
                        results.add(new TaskQueue.Result(
                                id.toLowerCase(), status.get(), t.get("result"), text(t.get("error"))));
                    }
                }
            }
        }
        JsonNode metrics = body.get("metrics");
        if (metrics != null && !metrics.isNull() && !metrics.isArray()) {
            errors.add(new FieldError("metrics", "must be an array"));
        }
        JsonNode batch = body.get("metricsBatch");
        long metricsBatch = -1;
        if (batch != null && !batch.isNull()) {
            if (!batch.isIntegralNumber() || !batch.canConvertToLong() || batch.asLong() < 0) {
                errors.add(new FieldError("metricsBatch", "must be an integer >= 0"));
            } else {
                metricsBatch = batch.asLong();
            }
        }
        JsonNode status = body.get("status");
        if (status != null && !status.isNull() && !status.isObject()) {
            errors.add(new FieldError("status", "must be an object"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new SyncReport(
                text(body.get("version")),
                text(body.get("hostname")),
                text(body.get("address")),
                applied,
                results,
                metrics == null || metrics.isNull() ? null : metrics,
                status == null || status.isNull() ? null : status,
                metricsBatch);
    }

    /** @return the reported revision per section */
    public Map<String, Long> reportedRevisions() {
        Map<String, Long> out = new LinkedHashMap<>();
        applied.forEach((k, v) -> out.put(k, v.revision()));
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
