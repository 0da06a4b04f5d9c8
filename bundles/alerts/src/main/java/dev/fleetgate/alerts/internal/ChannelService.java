package dev.fleetgate.alerts.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.NotificationChannel;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.security.SecretBox;

/**
 * Channel CRUD as the REST API uses it: validation by the channel type, sealing of the secret
 * settings (stored apart, never returned: reads show {@value #MASK}), and masking.
 */
@Component(service = ChannelService.class)
public final class ChannelService {
    /** What reads show for a secret that is set; sending it back keeps the stored secret. */
    public static final String MASK = "********";

    private final AlertStore store;
    private final AlertsRuntime runtime;
    private final SecretBox box;

    @Activate
    public ChannelService(@Reference AlertStore store, @Reference AlertsRuntime runtime, @Reference SecretBox box) {
        this.store = store;
        this.runtime = runtime;
        this.box = box;
    }

    public List<StoredChannel> list() {
        return store.channels();
    }

    public StoredChannel get(UUID id) {
        return store.channel(id).orElseThrow(() -> ApiException.notFound("Channel " + id));
    }

    public StoredChannel create(JsonNode body) {
        Parsed p = parse(body, null);
        return store.createChannel(p.name, p.type, p.settings, p.sealed, p.rate, p.enabled);
    }

    public StoredChannel update(UUID id, JsonNode body) {
        StoredChannel old = get(id);
        Parsed p = parse(body, old);
        return store.updateChannel(id, p.name, p.settings, p.sealed, p.rate, p.enabled);
    }

    public void delete(UUID id) {
        if (!store.deleteChannel(id)) {
            throw ApiException.notFound("Channel " + id);
        }
    }

    /** @return the channel as the API shows it: secrets masked */
    public static ObjectNode json(StoredChannel ch) {
        ObjectNode n = Json.object();
        n.put("id", ch.id().toString());
        n.put("name", ch.name());
        n.put("type", ch.type());
        ObjectNode s = ch.settings().deepCopy();
        ch.secrets().keySet().forEach(k -> s.put(k, MASK));
        n.set("settings", s);
        n.put("ratePerMinute", ch.ratePerMinute());
        n.put("enabled", ch.enabled());
        Json.put(n, "blockedUntil", ch.blockedUntil());
        Json.put(n, "createdAt", ch.createdAt());
        Json.put(n, "updatedAt", ch.updatedAt());
        return n;
    }

    private record Parsed(
            String name, String type, ObjectNode settings, Map<String, String> sealed, int rate, boolean enabled) {}

    private Parsed parse(JsonNode body, StoredChannel old) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("", "must be a JSON object");
        }
        Fields errors = new Fields();
        errors.unknown(
                body,
                Set.of(
                        "id",
                        "name",
                        "type",
                        "settings",
                        "ratePerMinute",
                        "enabled",
                        "blockedUntil",
                        "createdAt",
                        "updatedAt"),
                "");
        String name = errors.plainText(body, "name", "name", true, 100);
        JsonNode typeNode = body.get("type");
        String type;
        if (old != null) {
            type = old.type();
            if (typeNode != null && !typeNode.isNull() && !type.equals(typeNode.asText())) {
                errors.error("type", "cannot change (create another channel)");
            }
        } else if (typeNode == null || !typeNode.isTextual()) {
            errors.error("type", "is required: one of " + runtime.channelTypes());
            type = null;
        } else {
            type = typeNode.asText();
        }
        NotificationChannel impl = runtime.channel(type);
        if (type != null && impl == null) {
            if (old != null) {
                // without the type we know neither its settings nor which of them are secrets
                throw new ApiException(503, "Channel type " + type + " is not available right now");
            }
            errors.error("type", "must be one of " + runtime.channelTypes());
        }
        int rate = Inputs.integer(errors, body, "ratePerMinute", old == null ? 20 : old.ratePerMinute(), 1, 6000);
        boolean enabled = errors.bool(body, "enabled", "enabled", old == null || old.enabled());
        JsonNode settingsNode = body.get("settings");
        ObjectNode clear = Json.object();
        if (settingsNode == null || !settingsNode.isObject()) {
            errors.error("settings", "must be an object");
        } else {
            clear = settingsNode.deepCopy();
        }
        Map<String, String> sealed = new HashMap<>();
        if (impl != null && settingsNode != null && settingsNode.isObject()) {
            for (String secret : impl.secretFields()) {
                JsonNode v = clear.get(secret);
                boolean keep = v == null && old != null || v != null && MASK.equals(v.asText());
                if (keep && old != null && old.secrets().containsKey(secret)) {
                    clear.put(secret, box.decrypt(old.secrets().get(secret)));
                } else if (keep || v != null && v.isNull()) {
                    clear.remove(secret);
                }
            }
            errors.addAll(impl.validate(clear));
            if (errors.ok()) {
                for (String secret : impl.secretFields()) {
                    JsonNode v = clear.remove(secret);
                    if (v != null && v.isTextual() && !v.asText().isEmpty()) {
                        sealed.put(secret, box.encrypt(v.asText()));
                    }
                }
            }
        }
        errors.check();
        return new Parsed(name, type, clear, sealed, rate, enabled);
    }
}
