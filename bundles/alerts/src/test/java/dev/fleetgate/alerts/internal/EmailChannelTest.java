package dev.fleetgate.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import dev.fleetgate.alerts.DeliveryException;
import dev.fleetgate.alerts.Notification;
import dev.fleetgate.api.FieldError;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/** The e-mail channel against a real SMTP server (GreenMail) on loopback. */
class EmailChannelTest {
    private GreenMail smtp;
    private final EmailChannel channel = new EmailChannel();

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@fleet.test", "alerts", "s3cret"));
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private ObjectNode settings(String password) {
        ObjectNode s = Json.object();
        s.putArray("to").add("ops@fleet.test").add("oncall@fleet.test");
        s.put("from", "alerts@fleet.test");
        s.put("host", "127.0.0.1");
        s.put("port", smtp.getSmtp().getPort());
        s.put("username", "alerts");
        s.put("password", password);
        return s;
    }

    private static Notification message() {
        Incident i = Dispatcher.sample(null);
        Templates t = new Templates();
        String text = t.render(
                Templates.builtin("email", "opened"), Templates.vars(i, "opened", "", java.time.Instant.now()));
        return new Notification("opened", Templates.title(text), text, IncidentJson.of(i));
    }

    @Test
    void sendsOneMessageToEveryRecipient() throws Exception {
        assertEquals(List.of(), channel.validate(settings("s3cret")));
        channel.send(settings("s3cret"), message());
        assertTrue(smtp.waitForIncomingEmail(5000, 2));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(2, got.length, "one copy per recipient");
        MimeMessage m = got[0];
        assertEquals("[WARNING] CPU above 85%: agent=web-1", m.getSubject());
        assertEquals("alerts@fleet.test", m.getFrom()[0].toString());
        assertEquals(2, m.getRecipients(Message.RecipientType.TO).length);
        String body = GreenMailUtil.getBody(m);
        assertTrue(body.contains("Value: 91.50 (threshold > 85)"), body);
        assertTrue(body.contains("agent = web-1"), body);
        assertEquals("opened", m.getHeader("X-Fleetgate-Event")[0]);
    }

    @Test
    void aWrongPasswordIsPermanent() {
        DeliveryException e = assertThrows(DeliveryException.class, () -> channel.send(settings("wrong"), message()));
        assertTrue(e.permanent(), e.getMessage());
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void anUnreachableServerIsTemporary() {
        ObjectNode s = settings("s3cret");
        int port = smtp.getSmtp().getPort();
        smtp.stop();
        s.put("port", port);
        DeliveryException e = assertThrows(DeliveryException.class, () -> channel.send(s, message()));
        assertTrue(!e.permanent() && e.retryAfter() == null, e.getMessage());
    }

    @Test
    void validation() {
        ObjectNode s = Json.object();
        s.putArray("to").add("not an address");
        s.put("from", "x");
        s.put("port", 70000);
        s.put("security", "tls1.0");
        s.put("username", "u");
        s.put("bogus", 1);
        List<String> fields =
                channel.validate(s).stream().map(FieldError::field).sorted().toList();
        assertEquals(
                List.of(
                        "settings.bogus",
                        "settings.from",
                        "settings.host",
                        "settings.password",
                        "settings.port",
                        "settings.security",
                        "settings.to[0]"),
                fields);
    }
}
