package dev.fleetgate.alerts.internal;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.DeliveryException;
import dev.fleetgate.alerts.Notification;
import dev.fleetgate.alerts.NotificationChannel;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;

/**
 * Webhook: a JSON POST {@code {"event":"opened"|"resolved"|"test","incident":{…},"title","text"}} to
 * {@code url}; with a {@code secret} (write-only), header
 * {@code X-Fleetgate-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>}. Any 2xx is
 * delivered; 429 honours {@code Retry-After}; 5xx and network errors are retried; other answers fail.
 */
@Component(service = NotificationChannel.class)
public final class WebhookChannel implements NotificationChannel {
    public static final String SIGNATURE_HEADER = "X-Fleetgate-Signature";

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public Set<String> secretFields() {
        return Set.of("secret");
    }

    @Override
    public List<FieldError> validate(ObjectNode settings) {
        Fields errors = new Fields();
        errors.unknown(settings, Set.of("url", "secret"), "settings");
        Http.url(settings, "url", true, errors);
        errors.plainText(settings, "secret", "settings.secret", false, 500);
        return errors.errors();
    }

    @Override
    public void send(ObjectNode settings, Notification message) throws DeliveryException {
        ObjectNode body = Json.object();
        body.put("event", message.event());
        body.set("incident", message.incident());
        body.put("title", message.title());
        body.put("text", message.text());
        String json = Json.write(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Fleetgate-Event", message.event());
        String secret = settings.path("secret").asText("");
        if (!secret.isEmpty()) {
            headers.put(SIGNATURE_HEADER, "sha256=" + hmac(secret, json));
        }
        HttpResponse<String> r = Http.postJson(settings.path("url").asText(), json, headers, secret);
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            return;
        }
        String why = "webhook answered " + s;
        if (s == 429) {
            Long after = Http.retryAfter(r);
            throw DeliveryException.rateLimited(why, Duration.ofSeconds(after == null ? 30 : Math.min(after, 3600)));
        }
        if (s >= 500 || s == 408) {
            throw DeliveryException.temporary(why, null);
        }
        throw DeliveryException.permanent(why);
    }

    /** @return hex HMAC-SHA256 of {@code body} (UTF-8) with {@code secret} (UTF-8) */
    public static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
