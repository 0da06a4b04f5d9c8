package dev.fleetgate.alerts.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.DeliveryException;
import dev.fleetgate.alerts.Notification;
import dev.fleetgate.alerts.NotificationChannel;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * E-mail over SMTP (Angus Mail, embedded in this bundle). Settings: {@code to} (addresses),
 * {@code from}, {@code host}, {@code port} (default 25), {@code security} ({@code none},
 * {@code starttls} or {@code ssl}; default none), {@code username}, {@code password} (secret).
 * The subject is the message's title (first line), the body the whole text (UTF-8 plain text).
 */
@Component(service = NotificationChannel.class)
public final class EmailChannel implements NotificationChannel {
    private static final List<String> SECURITY = List.of("none", "starttls", "ssl");

    @Override
    public String type() {
        return "email";
    }

    @Override
    public Set<String> secretFields() {
        return Set.of("password");
    }

    @Override
    public List<FieldError> validate(ObjectNode settings) {
        Fields errors = new Fields();
        errors.unknown(settings, Set.of("to", "from", "host", "port", "security", "username", "password"), "settings");
        JsonNode to = settings.get("to");
        if (to == null || !to.isArray() || to.isEmpty() || to.size() > 20) {
            errors.error("settings.to", "must be a list of 1 to 20 e-mail addresses");
        } else {
            for (int i = 0; i < to.size(); i++) {
                if (!address(to.get(i))) {
                    errors.error("settings.to[" + i + "]", "is not an e-mail address");
                }
            }
        }
        if (!settings.hasNonNull("from") || !address(settings.get("from"))) {
            errors.error("settings.from", "must be an e-mail address");
        }
        errors.plainText(settings, "host", "settings.host", true, 253);
        JsonNode port = settings.get("port");
        if (port != null
                && !port.isNull()
                && (!port.isIntegralNumber() || port.asLong() < 1 || port.asLong() > 65535)) {
            errors.error("settings.port", "must be a port number (1-65535)");
        }
        JsonNode sec = settings.get("security");
        if (sec != null && !sec.isNull() && !SECURITY.contains(sec.asText())) {
            errors.error("settings.security", "must be one of " + SECURITY);
        }
        errors.plainText(settings, "username", "settings.username", false, 200);
        errors.plainText(settings, "password", "settings.password", false, 200);
        if (settings.hasNonNull("username") != settings.hasNonNull("password")) {
            errors.error("settings.password", "username and password go together");
        }
        return errors.errors();
    }

    private static boolean address(JsonNode n) {
        if (n == null || !n.isTextual() || n.asText().length() > 254 || Fields.hasControl(n.asText())) {
            return false;
        }
        try {
            new InternetAddress(n.asText(), true);
            return n.asText().contains("@");
        } catch (AddressException e) {
            return false;
        }
    }

    @Override
    public void send(ObjectNode settings, Notification message) throws DeliveryException {
        String security = settings.path("security").asText("none");
        boolean ssl = "ssl".equals(security);
        Properties p = new Properties();
        String proto = ssl ? "smtps" : "smtp";
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", settings.path("host").asText());
        p.put("mail." + proto + ".port", String.valueOf(settings.path("port").asInt(ssl ? 465 : 25)));
        p.put("mail." + proto + ".connectiontimeout", "10000");
        p.put("mail." + proto + ".timeout", "10000");
        p.put("mail." + proto + ".writetimeout", "10000");
        boolean auth = settings.hasNonNull("username");
        p.put("mail." + proto + ".auth", String.valueOf(auth));
        if ("starttls".equals(security)) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        // the provider files and classes are in this bundle: let jakarta.mail find them through it
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(EmailChannel.class.getClassLoader());
        try {
            Session session = Session.getInstance(p);
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(settings.path("from").asText(), true));
            for (JsonNode to : settings.path("to")) {
                m.addRecipient(Message.RecipientType.TO, new InternetAddress(to.asText(), true));
            }
            m.setSubject(message.title(), StandardCharsets.UTF_8.name());
            m.setText(message.text(), StandardCharsets.UTF_8.name());
            m.setHeader("X-Fleetgate-Event", message.event());
            m.setHeader("X-Fleetgate-Incident", message.incident().path("id").asText());
            m.saveChanges();
            try (jakarta.mail.Transport tr = session.getTransport(proto)) {
                if (auth) {
                    tr.connect(
                            settings.path("username").asText(),
                            settings.path("password").asText());
                } else {
                    tr.connect();
                }
                tr.sendMessage(m, m.getAllRecipients());
            }
        } catch (AuthenticationFailedException e) {
            throw DeliveryException.permanent("SMTP authentication failed: " + e.getMessage());
        } catch (SendFailedException e) {
            throw DeliveryException.permanent("SMTP refused the message: " + e.getMessage());
        } catch (MessagingException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw DeliveryException.temporary(
                    "SMTP: " + e.getMessage()
                            + (cause != e
                                    ? " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")"
                                    : ""),
                    e);
        } finally {
            t.setContextClassLoader(old);
        }
    }
}
