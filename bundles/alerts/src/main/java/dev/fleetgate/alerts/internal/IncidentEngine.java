package dev.fleetgate.alerts.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.persistence.Jdbc;

/**
 * Opens and resolves incidents, exactly once across cores:
 * <ul>
 * <li>an incident is opened by {@code INSERT … ON CONFLICT DO NOTHING} on the partial unique index
 * {@code incident_one_open (rule_id, subject) WHERE state = 'OPEN'}, and resolved by an
 * {@code UPDATE … WHERE state = 'OPEN'}: only the transaction that changed the row queues the
 * messages, in the same transaction (outbox, see {@link Dispatcher});</li>
 * <li>metric rules are evaluated by one core at a time ({@code pg_try_advisory_xact_lock}), by
 * sample time, each series from where its state row says it was evaluated to, so a replayed
 * batch or a restart evaluates nothing twice.</li>
 * </ul>
 */
public final class IncidentEngine {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentEngine.class);
    /** Advisory lock of the metric evaluation ("FleetAl1"). */
    static final long EVALUATION_LOCK = 0x466c656574416c31L;

    /** Tunables (see {@link AlertsConfig}). */
    public record Settings(int lookbackSeconds, int flapWindowSeconds, int flapThreshold) {
        public static final Settings DEFAULTS = new Settings(300, 3600, 3);
    }

    /** What one evaluation did; {@code locked} false when another core was evaluating. */
    public record Evaluation(boolean locked, int rules, int series, int samples, int opened, int resolved, int queued) {
        static final Evaluation SKIPPED = new Evaluation(false, 0, 0, 0, 0, 0, 0);
    }

    private final DataSource dataSource;
    private final Settings settings;

    public IncidentEngine(DataSource dataSource, Settings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    // ---- metric rules

    /** Evaluates every enabled metric rule once, unless another core is doing it. */
    public Evaluation evaluateMetrics() {
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                ps.setLong(1, EVALUATION_LOCK);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return Evaluation.SKIPPED;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                // metric_sample has no index on series_id (the metrics module keeps COPY fast): a nested
                // loop over the rule's series is a full scan per series when the statistics are stale
                // (a new metric's series): 54 s instead of 1 s for 10,000 series in bench/run-alerts.sh
                st.execute("SET LOCAL enable_nestloop = off");
            }
            int[] totals = new int[5];
            openDueEvents(c, totals);
            if (!metricTablesExist(c)) {
                return new Evaluation(true, 0, 0, 0, totals[2], 0, totals[4] + queueRepeats(c));
            }
            List<Rule> rules = AlertStore.rules(c, "kind = 'metric' AND enabled");
            for (Rule r : rules) {
                // one rule that fails (e.g. a statement timeout) must not stop the others
                Savepoint sp = c.setSavepoint();
                int[] mine = new int[5];
                try {
                    evaluate(c, r, mine);
                    c.releaseSavepoint(sp);
                    for (int i = 0; i < totals.length; i++) {
                        totals[i] += mine[i];
                    }
                } catch (SQLException | RuntimeException e) {
                    c.rollback(sp);
                    LOG.warn("Alert rule {} ({}) not evaluated: {}", r.name(), r.id(), e.getMessage());
                }
            }
            totals[4] += queueRepeats(c);
            return new Evaluation(true, rules.size(), totals[0], totals[1], totals[2], totals[3], totals[4]);
        });
    }

    private static boolean metricTablesExist(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('metric_sample') IS NOT NULL"
                        + " AND to_regclass('metric_series') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private record Sample(long seriesId, String labels, Instant ts, double value) {}

    private void evaluate(Connection c, Rule rule, int[] totals) throws SQLException {
        Map<Long, Condition.State> states = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT series_id, evaluated_to, run_start, clear_start, firing"
                + " FROM alert_series_state WHERE rule_id = ?")) {
            ps.setObject(1, rule.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.put(
                            rs.getLong(1),
                            new Condition.State(
                                    Jdbc.instant(rs, "evaluated_to"),
                                    Jdbc.instant(rs, "run_start"),
                                    Jdbc.instant(rs, "clear_start"),
                                    rs.getBoolean("firing")));
                }
            }
        }
        List<Sample> samples = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sampleQuery(rule))) {
            ps.setInt(1, settings.lookbackSeconds() + rule.forSeconds());
            ps.setObject(2, rule.id());
            ps.setString(3, rule.metric());
            ps.setString(4, Json.write(rule.labels()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    samples.add(new Sample(rs.getLong(1), rs.getString(2), Jdbc.instant(rs, "ts"), rs.getDouble(4)));
                }
            }
        }
        totals[1] += samples.size();
        List<Object[]> stateRows = new ArrayList<>();
        int i = 0;
        while (i < samples.size()) {
            long series = samples.get(i).seriesId();
            Map<String, String> labels = Json.stringMap(samples.get(i).labels());
            String subject = subject(labels);
            Condition.State state = states.getOrDefault(series, Condition.State.INITIAL);
            Sample last = null;
            for (; i < samples.size() && samples.get(i).seriesId() == series; i++) {
                Sample s = samples.get(i);
                Condition.Step step = Condition.step(rule, state, s.ts(), s.value());
                state = step.state();
                last = s;
                if (step.transition() == Condition.Transition.OPEN) {
                    Opened o = open(c, rule, subject, s.value(), s.ts(), labels, describe(rule, s.value()));
                    if (o.incidentId() != null) {
                        totals[2]++;
                        totals[4] += o.queued();
                    }
                } else if (step.transition() == Condition.Transition.RESOLVE) {
                    Opened o = resolve(c, rule, subject, s.value(), s.ts());
                    if (o.incidentId() != null) {
                        totals[3]++;
                        totals[4] += o.queued();
                    }
                }
            }
            totals[0]++;
            if (state.firing() && last != null) {
                seen(c, rule.id(), subject, last.value(), last.ts());
            }
            stateRows.add(new Object[] {series, state});
        }
        if (stateRows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_series_state (rule_id, series_id,"
                + " evaluated_to, run_start, clear_start, firing) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (rule_id, series_id) DO UPDATE SET evaluated_to = EXCLUDED.evaluated_to,"
                + " run_start = EXCLUDED.run_start, clear_start = EXCLUDED.clear_start, firing = EXCLUDED.firing")) {
            for (Object[] row : stateRows) {
                Condition.State s = (Condition.State) row[1];
                ps.setObject(1, rule.id());
                ps.setLong(2, (Long) row[0]);
                Jdbc.setInstant(ps, 3, s.evaluatedTo());
                Jdbc.setInstant(ps, 4, s.runStart());
                Jdbc.setInstant(ps, 5, s.clearStart());
                ps.setBoolean(6, s.firing());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The samples of the rule's series not evaluated yet (one per series and time, since the
     * metrics module may store a replayed batch twice), each with its aggregate over the
     * window before it. Parameters: lookback seconds, rule id, metric name, label filter JSON.
     */
    static String sampleQuery(Rule rule) {
        String agg = "last".equals(rule.aggregate()) || rule.windowSeconds() == 0
                ? "value"
                : rule.aggregate() + "(value) OVER (PARTITION BY series_id ORDER BY ts RANGE BETWEEN INTERVAL '"
                        + rule.windowSeconds() + " seconds' PRECEDING AND CURRENT ROW)";
        return "WITH s AS (SELECT ms.id, ms.labels::text AS labels,"
                + " COALESCE(st.evaluated_to, now() - make_interval(secs => ?)) AS since"
                + " FROM metric_series ms LEFT JOIN alert_series_state st ON st.rule_id = ? AND st.series_id = ms.id"
                + " WHERE ms.name = ? AND ms.labels @> ?::jsonb),"
                + " raw AS (SELECT DISTINCT ON (m.series_id, m.ts) m.series_id, m.ts, m.value FROM metric_sample m"
                + " JOIN s ON s.id = m.series_id"
                + " WHERE m.ts > (SELECT min(since) FROM s) - INTERVAL '" + rule.windowSeconds() + " seconds'"
                + " AND m.ts > s.since - INTERVAL '" + rule.windowSeconds() + " seconds'"
                + " AND m.ts <= now() + INTERVAL '5 minutes' ORDER BY m.series_id, m.ts),"
                + " w AS (SELECT series_id, ts, " + agg + " AS agg FROM raw)"
                + " SELECT w.series_id, s.labels, w.ts, w.agg FROM w JOIN s ON s.id = w.series_id"
                + " WHERE w.ts > s.since ORDER BY w.series_id, w.ts";
    }

    /** Longer subjects are cut and suffixed with a hash: they are in a B-tree index (at most ~2.7 kB a row). */
    static final int MAX_SUBJECT = 1000;

    /** @return the subject of a series: its labels as {@code name=value} pairs, by name */
    static String subject(Map<String, String> labels) {
        String s = labels.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        if (s.length() <= MAX_SUBJECT) {
            return s;
        }
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return s.substring(0, MAX_SUBJECT - 20) + "…#"
                    + java.util.HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String describe(Rule rule, double value) {
        String agg = "last".equals(rule.aggregate()) || rule.windowSeconds() == 0
                ? ""
                : " (" + rule.aggregate() + " over " + rule.windowSeconds() + "s)";
        return rule.metric() + agg + " = " + format(value) + " " + rule.op() + " " + format(rule.threshold())
                + (rule.forSeconds() > 0 ? " for " + rule.forSeconds() + "s" : "");
    }

    public static String format(Double v) {
        if (v == null) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString(v.longValue());
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    // ---- event rules

    /**
     * Handles one alert event (see {@code dev.fleetgate.api.alerts}): opens or resolves the
     * incident of every enabled event rule of its kind.
     *
     * @return the deliveries queued
     */
    public int onEvent(Map<String, ?> props) {
        Object kind = props.get(AlertEvent.KIND);
        Object subject = props.get(AlertEvent.SUBJECT);
        Object state = props.get(AlertEvent.STATE);
        if (!(kind instanceof String k)
                || !(subject instanceof String s)
                || s.isEmpty()
                || s.length() > 500
                || !(state instanceof String st)) {
            LOG.warn("Ignoring an alert event without kind, subject or state: {}", props.keySet());
            return 0;
        }
        Double value = props.get(AlertEvent.VALUE) instanceof Number n ? n.doubleValue() : null;
        String message = props.get(AlertEvent.MESSAGE) instanceof String m ? m : null;
        Instant at = props.get(AlertEvent.OCCURRED_AT) instanceof Number n
                ? Instant.ofEpochMilli(n.longValue())
                : Instant.now();
        Map<String, String> labels = new java.util.TreeMap<>();
        if (props.get(AlertEvent.LABELS) instanceof Map<?, ?> m) {
            m.forEach((a, b) -> labels.put(String.valueOf(a), String.valueOf(b)));
        }
        boolean firing = AlertEvent.FIRING.equals(st);
        return Jdbc.tx(dataSource, c -> {
            int queued = 0;
            List<Rule> rules;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + AlertStore.RULE_COLUMNS
                    + " FROM alert_rule WHERE kind = 'event' AND enabled AND event_kind = ?")) {
                ps.setString(1, k);
                try (ResultSet rs = ps.executeQuery()) {
                    rules = new ArrayList<>();
                    while (rs.next()) {
                        rules.add(AlertStore.readRule(rs));
                    }
                }
            }
            for (Rule r : rules) {
                Opened o;
                if (!firing) {
                    unpend(c, r.id(), s);
                    o = resolve(c, r, s, value, at);
                } else if (r.forSeconds() > 0) {
                    o = pend(c, r, s, value, at, labels, message);
                } else {
                    o = open(c, r, s, value, at, labels, message);
                    if (o.incidentId() == null) {
                        seen(c, r.id(), s, value, at);
                    }
                }
                queued += o.queued();
            }
            return queued;
        });
    }

    /**
     * A firing event of a rule with {@code forSeconds}: the incident opens once the condition has
     * lasted that long (from the first firing event's {@code occurredAt}, kept in
     * {@code alert_event_pending}): now, if an event repeats after that, else in the periodic
     * evaluation ({@link #openDueEvents}).
     */
    private Opened pend(
            Connection c, Rule r, String subject, Double value, Instant at, Map<String, String> labels, String message)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM incident WHERE rule_id = ? AND subject = ? AND state = 'OPEN'")) {
            ps.setObject(1, r.id());
            ps.setString(2, subject);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    seen(c, r.id(), subject, value, at);
                    return Opened.NONE;
                }
            }
        }
        Instant since;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_event_pending AS p (rule_id, subject, since,"
                + " value, message, labels) VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (rule_id, subject) DO UPDATE"
                + " SET since = LEAST(p.since, EXCLUDED.since), value = COALESCE(EXCLUDED.value, p.value),"
                + " message = COALESCE(EXCLUDED.message, p.message), labels = EXCLUDED.labels RETURNING since")) {
            ps.setObject(1, r.id());
            ps.setString(2, subject);
            Jdbc.setInstant(ps, 3, at);
            AlertStore.setDouble(ps, 4, value);
            ps.setString(5, message);
            ps.setString(6, Json.write(labels));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                since = Jdbc.instant(rs, "since");
            }
        }
        if (at.isBefore(since.plusSeconds(r.forSeconds()))) {
            return Opened.NONE;
        }
        unpend(c, r.id(), subject);
        return open(c, r, subject, value, at, labels, message);
    }

    private static void unpend(Connection c, UUID ruleId, String subject) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM alert_event_pending WHERE rule_id = ? AND subject = ?")) {
            ps.setObject(1, ruleId);
            ps.setString(2, subject);
            ps.executeUpdate();
        }
    }

    /**
     * Opens the incidents of event rules whose condition has now lasted {@code forSeconds}
     * (wall clock of the database: no later event marks the time), at the moment it became due.
     * Pending rows of disabled rules are dropped.
     */
    void openDueEvents(Connection c, int[] totals) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_event_pending p USING alert_rule r"
                + " WHERE r.id = p.rule_id AND (NOT r.enabled OR r.kind <> 'event')")) {
            ps.executeUpdate();
        }
        record Due(
                Rule rule, String subject, Instant since, Double value, String message, Map<String, String> labels) {}
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert_event_pending p USING alert_rule r"
                        + " WHERE r.id = p.rule_id AND p.since + make_interval(secs => r.for_seconds) <= now()"
                        + " RETURNING p.subject AS pending_subject, p.since AS pending_since, p.value AS pending_value,"
                        + " p.message AS pending_message, p.labels::text AS pending_labels, " + prefixed("r."));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                due.add(new Due(
                        AlertStore.readRule(rs),
                        rs.getString("pending_subject"),
                        Jdbc.instant(rs, "pending_since"),
                        AlertStore.getDouble(rs, "pending_value"),
                        rs.getString("pending_message"),
                        Json.stringMap(rs.getString("pending_labels"))));
            }
        }
        for (Due d : due) {
            Opened o = open(
                    c,
                    d.rule(),
                    d.subject(),
                    d.value(),
                    d.since().plusSeconds(d.rule().forSeconds()),
                    d.labels(),
                    d.message());
            if (o.incidentId() != null) {
                totals[2]++;
                totals[4] += o.queued();
            }
        }
    }

    // ---- incidents

    /** @param incidentId the incident opened or resolved by this call, or null when none; @param queued messages */
    record Opened(UUID incidentId, int queued) {
        static final Opened NONE = new Opened(null, 0);
    }

    /** Opens the incident of (rule, subject) unless one is open; queues its messages. */
    Opened open(
            Connection c,
            Rule rule,
            String subject,
            Double value,
            Instant at,
            Map<String, String> labels,
            String message)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident (id, rule_id, subject, state, severity,"
                + " kind, value, message, labels, opened_at, last_seen_at) VALUES (?, ?, ?, 'OPEN', ?, ?, ?, ?, ?::jsonb,"
                + " ?, ?) ON CONFLICT (rule_id, subject) WHERE state = 'OPEN' DO NOTHING")) {
            ps.setObject(1, id);
            ps.setObject(2, rule.id());
            ps.setString(3, subject);
            ps.setString(4, rule.severity());
            ps.setString(5, rule.incidentKind());
            AlertStore.setDouble(ps, 6, value);
            ps.setString(7, message);
            ps.setString(8, Json.write(labels));
            Jdbc.setInstant(ps, 9, at);
            Jdbc.setInstant(ps, 10, at);
            if (ps.executeUpdate() == 0) {
                return Opened.NONE;
            }
        }
        Incident.event(c, id, "opened", message == null ? "value " + format(value) : message);
        // flapping: too many incidents of this (rule, subject) lately; then notify once per period
        int recent;
        boolean flapNotified;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), bool_or(flapping AND notified)"
                + " FROM incident WHERE rule_id = ? AND subject = ? AND opened_at > ?")) {
            ps.setObject(1, rule.id());
            ps.setString(2, subject);
            Jdbc.setInstant(ps, 3, at.minusSeconds(settings.flapWindowSeconds()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                recent = rs.getInt(1);
                flapNotified = rs.getBoolean(2);
            }
        }
        if (recent >= settings.flapThreshold()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE incident SET flapping = true WHERE id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            Incident.event(c, id, "flapping", recent + " incidents in " + settings.flapWindowSeconds() + "s");
            if (flapNotified) {
                Incident.event(c, id, "suppressed", "flapping: already notified in this period");
                return new Opened(id, 0);
            }
        }
        return new Opened(id, enqueue(c, id, rule, subject, "opened"));
    }

    /** Resolves the open incident of (rule, subject), if any; queues its messages if it was notified. */
    Opened resolve(Connection c, Rule rule, String subject, Double value, Instant at) throws SQLException {
        UUID id;
        boolean notified;
        try (PreparedStatement ps = c.prepareStatement("UPDATE incident SET state = 'RESOLVED', resolved_at = ?,"
                + " value = COALESCE(?, value) WHERE rule_id = ? AND subject = ? AND state = 'OPEN'"
                + " RETURNING id, notified")) {
            Jdbc.setInstant(ps, 1, at);
            AlertStore.setDouble(ps, 2, value);
            ps.setObject(3, rule.id());
            ps.setString(4, subject);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Opened.NONE;
                }
                id = rs.getObject(1, UUID.class);
                notified = rs.getBoolean(2);
            }
        }
        Incident.event(c, id, "resolved", value == null ? null : "value " + format(value));
        return new Opened(id, notified ? enqueue(c, id, rule, subject, "resolved") : 0);
    }

    /** The condition still holds: last seen time and value. */
    static void seen(Connection c, UUID ruleId, String subject, Double value, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE incident SET last_seen_at = GREATEST(last_seen_at, ?),"
                + " value = COALESCE(?, value) WHERE rule_id = ? AND subject = ? AND state = 'OPEN'")) {
            Jdbc.setInstant(ps, 1, at);
            AlertStore.setDouble(ps, 2, value);
            ps.setObject(3, ruleId);
            ps.setString(4, subject);
            ps.executeUpdate();
        }
    }

    /** Queues a delivery per enabled channel of the rule, unless silenced. */
    static int enqueue(Connection c, UUID incidentId, Rule rule, String subject, String event) throws SQLException {
        Instant now = Instant.now();
        for (Silence s : AlertStore.silences(c, true)) {
            if (s.mutes(rule.id(), subject, now)) {
                Incident.event(
                        c,
                        incidentId,
                        "silenced",
                        event + " not sent: silence " + s.id() + (s.comment() == null ? "" : " (" + s.comment() + ")"));
                return 0;
            }
        }
        int n;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_delivery (incident_id, channel_id, event,"
                + " state) SELECT ?, id, ?, 'PENDING' FROM alert_channel WHERE id = ANY(?) AND enabled")) {
            ps.setObject(1, incidentId);
            ps.setString(2, event);
            ps.setArray(3, c.createArrayOf("uuid", rule.channelIds().toArray()));
            n = ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE incident SET notified = true, last_notified_at = now() WHERE id = ?")) {
            ps.setObject(1, incidentId);
            ps.executeUpdate();
        }
        Incident.event(c, incidentId, "queued", event + ": " + n + " message(s)");
        return n;
    }

    /** Queues a reminder for open, notified, unacknowledged incidents whose rule repeats and is due. */
    static int queueRepeats(Connection c) throws SQLException {
        List<Object[]> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.id AS incident_id, i.subject AS incident_subject, "
                        + prefixed("r.")
                        + " FROM incident i JOIN alert_rule r ON r.id = i.rule_id WHERE i.state = 'OPEN' AND i.acked_at IS NULL"
                        + " AND i.notified AND r.repeat_interval_seconds > 0"
                        + " AND i.last_notified_at < now() - make_interval(secs => r.repeat_interval_seconds)"
                        + " FOR UPDATE OF i SKIP LOCKED");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                due.add(new Object[] {
                    rs.getObject("incident_id", UUID.class), rs.getString("incident_subject"), AlertStore.readRule(rs)
                });
            }
        }
        int n = 0;
        for (Object[] d : due) {
            n += enqueue(c, (UUID) d[0], (Rule) d[2], (String) d[1], "repeat");
        }
        return n;
    }

    private static String prefixed(String p) {
        return java.util.Arrays.stream(AlertStore.RULE_COLUMNS.split(",\\s*"))
                .map(col -> p + col)
                .collect(Collectors.joining(", "));
    }
}
