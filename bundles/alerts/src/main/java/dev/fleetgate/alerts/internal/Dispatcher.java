package dev.fleetgate.alerts.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.DeliveryException;
import dev.fleetgate.alerts.Notification;
import dev.fleetgate.alerts.NotificationChannel;
import dev.fleetgate.api.Backoff;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.security.SecretBox;

/**
 * Sends the queued deliveries (the outbox {@code alert_delivery}). Each delivery is claimed with
 * {@code FOR UPDATE SKIP LOCKED} and its channel row locked ({@code FOR UPDATE}) in one transaction
 * that also records the result, so two cores never send the same delivery, and a channel's rate
 * limit (messages per minute, and a receiver's 429 {@code retry_after}) holds across cores.
 * A core that dies after the receiver accepted a message but before its commit sends it again
 * (the only case of a duplicate; the window is one HTTP exchange).
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /** Tunables (see {@link AlertsConfig}). */
    public record Settings(int maxAttempts, Backoff backoff, String webBaseUrl) {
        public static final Settings DEFAULTS =
                new Settings(8, new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10)), "");
    }

    /** The result of a test message. */
    public record TestResult(boolean ok, String error) {}

    private final DataSource dataSource;
    private final Function<String, NotificationChannel> channels;
    private final SecretBox box;
    private final Templates templates;
    private final Settings settings;

    public Dispatcher(
            DataSource dataSource,
            Function<String, NotificationChannel> channels,
            SecretBox box,
            Templates templates,
            Settings settings) {
        this.dataSource = dataSource;
        this.channels = channels;
        this.box = box;
        this.templates = templates;
        this.settings = settings;
    }

    /** Sends every due delivery (at most 1000 per call). @return how many were handled */
    public int dispatchDue() {
        int n = 0;
        while (n < 1000 && dispatchOne()) {
            n++;
        }
        return n;
    }

    /** @return whether a delivery was due (sent, postponed or failed) */
    boolean dispatchOne() {
        return Jdbc.tx(dataSource, c -> {
            long id;
            UUID incidentId;
            UUID channelId;
            String event;
            int attempts;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, incident_id, channel_id, event, attempts"
                            + " FROM alert_delivery WHERE state = 'PENDING' AND next_attempt_at <= now()"
                            + " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                id = rs.getLong(1);
                incidentId = rs.getObject(2, UUID.class);
                channelId = rs.getObject(3, UUID.class);
                event = rs.getString(4);
                attempts = rs.getInt(5);
            }
            StoredChannel ch = AlertStore.channel(c, channelId, true).orElseThrow();
            Instant now = dbNow(c);
            if (ch.blockedUntil() != null && ch.blockedUntil().isAfter(now)) {
                postpone(c, id, ch.blockedUntil(), null);
                return true;
            }
            int sentLastMinute;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM alert_delivery WHERE channel_id = ?"
                    + " AND state = 'SENT' AND sent_at > now() - INTERVAL '1 minute'")) {
                ps.setObject(1, channelId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sentLastMinute = rs.getInt(1);
                }
            }
            if (sentLastMinute >= ch.ratePerMinute()) {
                postpone(
                        c,
                        id,
                        now.plusMillis(Math.max(1000, 60_000L / ch.ratePerMinute())),
                        "rate limit of the channel: " + ch.ratePerMinute() + "/min");
                return true;
            }
            NotificationChannel impl = channels.apply(ch.type());
            if (impl == null) {
                postpone(c, id, now.plusSeconds(30), "channel type " + ch.type() + " is not available");
                return true;
            }
            Incident incident = Incident.get(c, incidentId).orElse(null);
            if (incident == null) {
                fail(c, id, null, "the incident is gone");
                return true;
            }
            Notification message = message(c, incident, ch.type(), event);
            try {
                impl.send(openSettings(ch), message);
                try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET state = 'SENT',"
                        + " attempts = attempts + 1, sent_at = now(), last_error = NULL WHERE id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                Incident.event(c, incidentId, "sent", event + " via " + ch.type() + " channel " + ch.name());
            } catch (DeliveryException e) {
                String why = e.getMessage();
                LOG.info("Delivery {} of incident {} via channel {} failed: {}", id, incidentId, ch.name(), why);
                if (e.retryAfter() != null) {
                    Instant until = now.plus(e.retryAfter());
                    try (PreparedStatement ps =
                            c.prepareStatement("UPDATE alert_channel SET blocked_until = ? WHERE id = ?")) {
                        Jdbc.setInstant(ps, 1, until);
                        ps.setObject(2, channelId);
                        ps.executeUpdate();
                    }
                    postpone(c, id, until, why);
                } else if (e.permanent() || attempts + 1 >= settings.maxAttempts()) {
                    fail(c, id, incidentId, why);
                    Incident.event(c, incidentId, "delivery failed", event + " via " + ch.name() + ": " + why);
                } else {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET attempts = attempts + 1,"
                            + " next_attempt_at = ?, last_error = ? WHERE id = ?")) {
                        Jdbc.setInstant(ps, 1, now.plus(settings.backoff().delay(attempts + 1)));
                        ps.setString(2, truncate(why));
                        ps.setLong(3, id);
                        ps.executeUpdate();
                    }
                }
            }
            return true;
        });
    }

    /** Sends a test message through a channel now (not through the outbox), and logs it. */
    public TestResult test(UUID channelId) {
        StoredChannel ch = Jdbc.auto(dataSource, c -> AlertStore.channel(c, channelId, false))
                .orElseThrow(() -> dev.fleetgate.api.ApiException.notFound("Channel " + channelId));
        NotificationChannel impl = channels.apply(ch.type());
        String error = null;
        if (impl == null) {
            error = "channel type " + ch.type() + " is not available";
        } else {
            Notification message = Jdbc.auto(dataSource, c -> message(c, sample(null), ch.type(), "test"));
            try {
                impl.send(openSettings(ch), message);
            } catch (DeliveryException e) {
                error = e.getMessage();
            }
        }
        String err = error;
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_delivery (channel_id, event, state,"
                    + " attempts, sent_at, last_error) VALUES (?, 'test', ?, 1, CASE WHEN ? THEN now() END, ?)")) {
                ps.setObject(1, channelId);
                ps.setString(2, err == null ? "SENT" : "FAILED");
                ps.setBoolean(3, err == null);
                ps.setString(4, truncate(err));
                return ps.executeUpdate();
            }
        });
        return new TestResult(err == null, err);
    }

    private Notification message(Connection c, Incident incident, String channelType, String event)
            throws SQLException {
        Map<List<String>, String> overrides = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, channel_type, event, body FROM alert_template WHERE channel_type = ?")) {
            ps.setString(1, channelType);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    overrides.put(List.of(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getString(4));
                }
            }
        }
        Map<String, Object> vars = Templates.vars(incident, event, settings.webBaseUrl(), Instant.now());
        String text;
        try {
            text = templates.render(Templates.pick(overrides, incident.kind(), channelType, event), vars);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "Template for {}/{}/{} failed, using the built-in one: {}",
                    incident.kind(),
                    channelType,
                    event,
                    e.getMessage());
            text = templates.render(Templates.builtin(channelType, event), vars);
        }
        String wireEvent = "test".equals(event) ? "test" : "repeat".equals(event) ? "opened" : event;
        return new Notification(wireEvent, Templates.title(text), text, IncidentJson.of(incident));
    }

    /** A sample incident for previews and test messages. */
    public static Incident sample(String kind) {
        Instant now = Instant.now();
        if ("monitor.down".equals(kind)) { // shaped like bundles/monitors' report, for its templates
            return new Incident(
                    UUID.fromString("00000000-0000-4000-8000-000000000001"),
                    UUID.fromString("00000000-0000-4000-8000-000000000002"),
                    "Monitor down",
                    kind,
                    "00000000-0000-4000-8000-000000000003",
                    "OPEN",
                    "critical",
                    1.0,
                    null,
                    ">",
                    null,
                    "Monitor shop (https://shop.test/) is DOWN: status — unexpected status 500 (agent web-1)\n"
                            + "Failing since " + now.minusSeconds(330) + " from 1 of 2 agents\n"
                            + "  web-1: status — unexpected status 500\n"
                            + "Last success: " + now.minusSeconds(340),
                    Map.of(
                            "monitor",
                            "shop",
                            "target",
                            "https://shop.test/",
                            "errorKind",
                            "status",
                            "agent",
                            "web-1",
                            "failingAgents",
                            "web-1",
                            "since",
                            now.minusSeconds(330).toString(),
                            "lastSuccess",
                            now.minusSeconds(340).toString(),
                            "service",
                            "shop",
                            "service5xxPercent",
                            "25.0"),
                    now.minusSeconds(330),
                    now,
                    null,
                    null,
                    null,
                    false);
        }
        return new Incident(
                UUID.fromString("00000000-0000-4000-8000-000000000001"),
                UUID.fromString("00000000-0000-4000-8000-000000000002"),
                "CPU above 85%",
                kind == null ? "metric" : kind,
                "agent=web-1",
                "OPEN",
                "warning",
                91.5,
                85.0,
                ">",
                "host_cpu_usage_percent",
                "host_cpu_usage_percent = 91.50 > 85",
                Map.of("agent", "web-1"),
                now.minusSeconds(330),
                now,
                null,
                null,
                null,
                false);
    }

    /** @return the channel's settings with its secrets opened */
    ObjectNode openSettings(StoredChannel ch) {
        ObjectNode s = ch.settings().deepCopy();
        ch.secrets().forEach((k, secret) -> s.put(k, box.decrypt(secret)));
        return s;
    }

    private static void postpone(Connection c, long id, Instant until, String why) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET next_attempt_at = ?,"
                + " last_error = COALESCE(?, last_error) WHERE id = ?")) {
            Jdbc.setInstant(ps, 1, until);
            ps.setString(2, truncate(why));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    private static void fail(Connection c, long id, UUID incidentId, String why) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alert_delivery SET state = 'FAILED',"
                + " attempts = attempts + 1, last_error = ? WHERE id = ?")) {
            ps.setString(1, truncate(why));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private static Instant dbNow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT now()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Jdbc.instant(rs, "now");
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
