package dev.fleetgate.alerts.internal;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Mutes notifications (not incidents) of a rule and/or a subject until a time.
 *
 * @param ruleId  the rule, or null for every rule
 * @param subject the subject, exact or a glob with {@code *}, or null for every subject
 */
public record Silence(
        UUID id, UUID ruleId, String subject, Instant until, String comment, String createdBy, Instant createdAt) {

    /** @return whether it mutes the incident of {@code rule} about {@code subject} at {@code now} */
    public boolean mutes(UUID rule, String incidentSubject, Instant now) {
        if (!until.isAfter(now) || (ruleId != null && !ruleId.equals(rule))) {
            return false;
        }
        return subject == null || glob(subject).matcher(incidentSubject).matches();
    }

    static Pattern glob(String glob) {
        return Pattern.compile(
                java.util.Arrays.stream(glob.split("\\*", -1))
                        .map(Pattern::quote)
                        .collect(java.util.stream.Collectors.joining(".*")),
                Pattern.DOTALL);
    }
}
