package dev.fleetgate.alerts.internal;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.DeliveryException;
import dev.fleetgate.alerts.Notification;
import dev.fleetgate.alerts.NotificationChannel;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;

/**
 * Telegram Bot API: {@code POST {apiBaseUrl}/bot{botToken}/sendMessage} with {@code chat_id} and
 * {@code text} (plain text, at most 4096 characters). Settings: {@code botToken} (secret),
 * {@code chatId}, {@code apiBaseUrl} (default {@value #DEFAULT_BASE}). A 429 answer's
 * {@code parameters.retry_after} pauses the channel.
 */
@Component(service = NotificationChannel.class)
public final class TelegramChannel implements NotificationChannel {
    public static final String DEFAULT_BASE = "https://api.telegram.org";
    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");
    private static final Pattern CHAT = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z0-9_]{1,100}");

    @Override
    public String type() {
        return "telegram";
    }

    @Override
    public Set<String> secretFields() {
        return Set.of("botToken");
    }

    @Override
    public List<FieldError> validate(ObjectNode settings) {
        Fields errors = new Fields();
        errors.unknown(settings, Set.of("botToken", "chatId", "apiBaseUrl"), "settings");
        JsonNode token = settings.get("botToken");
        if (token == null || token.isNull()) {
            errors.error("settings.botToken", "is required");
        } else if (!token.isTextual() || !TOKEN.matcher(token.asText()).matches()) {
            errors.error("settings.botToken", "must be a bot token like 123456:ABC-def");
        }
        JsonNode chat = settings.get("chatId");
        if (chat == null || chat.isNull()) {
            errors.error("settings.chatId", "is required");
        } else if (!(chat.isTextual() || chat.isIntegralNumber())
                || !CHAT.matcher(chat.asText()).matches()) {
            errors.error("settings.chatId", "must be a chat id (a number) or @channelname");
        }
        Http.url(settings, "apiBaseUrl", false, errors);
        return errors.errors();
    }

    @Override
    public void send(ObjectNode settings, Notification message) throws DeliveryException {
        String token = settings.path("botToken").asText();
        String base = settings.path("apiBaseUrl").asText(DEFAULT_BASE).replaceAll("/+$", "");
        if (base.isEmpty()) {
            base = DEFAULT_BASE;
        }
        ObjectNode body = Json.object();
        JsonNode chat = settings.get("chatId");
        if (chat != null && chat.isIntegralNumber()) {
            body.put("chat_id", chat.asLong());
        } else {
            body.put("chat_id", settings.path("chatId").asText());
        }
        String text = message.text();
        body.put("text", text.length() > 4096 ? text.substring(0, 4093) + "..." : text);
        body.put("disable_web_page_preview", true);
        HttpResponse<String> r =
                Http.postJson(base + "/bot" + token + "/sendMessage", Json.write(body), Map.of(), token);
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            answer = Json.object();
        }
        if (r.statusCode() == 200 && answer.path("ok").asBoolean(false)) {
            return;
        }
        String why = "Telegram answered " + r.statusCode()
                + (answer.hasNonNull("description")
                        ? ": " + Http.hide(answer.get("description").asText(), token)
                        : "");
        if (r.statusCode() == 429) {
            long after = answer.path("parameters").path("retry_after").asLong(0);
            if (after <= 0) {
                Long header = Http.retryAfter(r);
                after = header == null ? 30 : header;
            }
            throw DeliveryException.rateLimited(why, Duration.ofSeconds(Math.min(after, 3600)));
        }
        if (r.statusCode() >= 500 || r.statusCode() == 408) {
            throw DeliveryException.temporary(why, null);
        }
        throw DeliveryException.permanent(why);
    }
}
