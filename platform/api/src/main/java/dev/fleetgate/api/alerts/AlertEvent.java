package dev.fleetgate.api.alerts;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds the properties of an alert event (see the package documentation) and reads them
 * back. Not thread-safe; build one per event.
 */
public final class AlertEvent {
    public static final String KIND = "kind";
    public static final String SUBJECT = "subject";
    public static final String STATE = "state";
    public static final String SEVERITY = "severity";
    public static final String VALUE = "value";
    public static final String MESSAGE = "message";
    public static final String LABELS = "labels";
    public static final String OCCURRED_AT = "occurredAt";
    /** Value of {@link #STATE} while the condition holds. */
    public static final String FIRING = "firing";
    /** Value of {@link #STATE} when it ended. */
    public static final String CLEARED = "cleared";

    private final String kind;
    private final String subject;
    private final boolean firing;
    private Severity severity = Severity.WARNING;
    private Double value;
    private String message;
    private final Map<String, String> labels = new TreeMap<>();
    private long occurredAt = System.currentTimeMillis();

    private AlertEvent(String kind, String subject, boolean firing) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.firing = firing;
    }

    /** A condition that started or still holds; post on {@link AlertTopics#FIRING}. */
    public static AlertEvent firing(String kind, String subject) {
        return new AlertEvent(kind, subject, true);
    }

    /** A condition that ended; post on {@link AlertTopics#CLEARED}. */
    public static AlertEvent cleared(String kind, String subject) {
        return new AlertEvent(kind, subject, false);
    }

    public AlertEvent severity(Severity s) {
        this.severity = Objects.requireNonNull(s, "severity");
        return this;
    }

    public AlertEvent value(double v) {
        this.value = v;
        return this;
    }

    public AlertEvent message(String m) {
        this.message = m;
        return this;
    }

    public AlertEvent label(String name, String v) {
        labels.put(Objects.requireNonNull(name, "label name"), Objects.requireNonNull(v, "label value"));
        return this;
    }

    public AlertEvent occurredAt(long epochMillis) {
        this.occurredAt = epochMillis;
        return this;
    }

    /** @return the topic to post on */
    public String topic() {
        return firing ? AlertTopics.FIRING : AlertTopics.CLEARED;
    }

    /** @return the event properties, for {@code new org.osgi.service.event.Event(topic(), props)} */
    public Map<String, Object> toProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(KIND, kind);
        p.put(SUBJECT, subject);
        p.put(STATE, firing ? FIRING : CLEARED);
        p.put(SEVERITY, severity.wire());
        if (value != null) {
            p.put(VALUE, value);
        }
        if (message != null) {
            p.put(MESSAGE, message);
        }
        p.put(LABELS, Map.copyOf(labels));
        p.put(OCCURRED_AT, occurredAt);
        return p;
    }
}
