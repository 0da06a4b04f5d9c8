package dev.fleetgate.dns.internal;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.DomainNames.InvalidNameException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.dns.TsigKey;

/**
 * Turns a zone request body into a {@link ZoneInput}, or names every field at fault. Never
 * throws on any input. Fields the API answers with ({@code id}, {@code tsigSecretSet},
 * {@code status} ...) are ignored, so that a client may send back what it read.
 */
public final class ZoneValidator {
    static final String DEFAULT_PROVIDER = "rfc2136";
    static final int DEFAULT_PORT = 53;
    static final int DEFAULT_TTL = 60;
    static final int MAX_TTL = 86_400;
    private static final int MAX_SECRET_BYTES = 512;

    private final Set<String> providers;

    /** @param providers the provider types available now */
    public ZoneValidator(Set<String> providers) {
        this.providers = Set.copyOf(providers);
    }

    /** The outcome: an input when {@code errors} is empty. */
    public record Result(ZoneInput input, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * @param body      the request body
     * @param existing  the zone being replaced (PUT), or null (POST)
     */
    public Result validate(JsonNode body, StoredZone existing) {
        Fields r = new Fields();
        if (body == null || !body.isObject()) {
            r.error("body", "must be a JSON object");
            return new Result(null, r.errors());
        }
        String zone = zone(r, body, existing);
        String provider = provider(r, body);
        String server = server(r, body);
        Integer port = r.integer(body, "port", "port", 1, 65535, DEFAULT_PORT);
        Integer ttl = r.integer(body, "ttl", "ttl", 1, MAX_TTL, DEFAULT_TTL);
        String keyName = keyName(r, body);
        String algorithm = algorithm(r, body);
        String secret = secret(r, body);
        if (keyName != null && secret == null && !r.failed("tsigSecret")) {
            boolean keep = existing != null && existing.tsigSecretSet() && keyName.equals(existing.tsigKeyName());
            if (!keep) {
                r.error("tsigSecret", "is required with tsigKeyName (base64, as in the server's key statement)");
            }
        }
        if (keyName == null && secret != null && !r.failed("tsigKeyName")) {
            r.error("tsigKeyName", "is required with tsigSecret");
        }
        if (!r.errors().isEmpty()) {
            return new Result(null, r.errors());
        }
        return new Result(new ZoneInput(zone, provider, server, port, keyName, algorithm, secret, ttl), List.of());
    }

    private static String zone(Fields r, JsonNode body, StoredZone existing) {
        String raw = r.text(body, "zone", "zone", true, 254);
        if (raw == null) {
            return null;
        }
        String zone;
        try {
            zone = Names.zone(raw);
        } catch (InvalidNameException e) {
            r.error("zone", e.getMessage());
            return null;
        }
        if (existing != null && !existing.zone().equals(zone)) {
            r.error("zone", "cannot be changed (it is " + existing.zone() + ".); create another zone instead");
            return null;
        }
        return zone;
    }

    private String provider(Fields r, JsonNode body) {
        String p = r.text(body, "provider", "provider", false, 64);
        if (p == null) {
            if (!r.failed("provider") && !providers.contains(DEFAULT_PROVIDER)) {
                r.error("provider", "is required: the default " + DEFAULT_PROVIDER + " is not available");
            }
            return DEFAULT_PROVIDER;
        }
        if (!providers.contains(p)) {
            r.error("provider", "unknown provider; available: " + String.join(", ", new TreeSet<>(providers)));
            return null;
        }
        return p;
    }

    private static String server(Fields r, JsonNode body) {
        String raw = r.text(body, "server", "server", true, 253);
        if (raw == null) {
            return null;
        }
        try {
            return Names.server(raw);
        } catch (InvalidNameException e) {
            r.error("server", e.getMessage());
            return null;
        }
    }

    private static String keyName(Fields r, JsonNode body) {
        String raw = r.text(body, "tsigKeyName", "tsigKeyName", false, 253);
        if (raw == null) {
            return null;
        }
        try {
            return Names.keyName(raw);
        } catch (InvalidNameException e) {
            r.error("tsigKeyName", e.getMessage());
            return null;
        }
    }

    private static String algorithm(Fields r, JsonNode body) {
        String raw = r.text(body, "tsigAlgorithm", "tsigAlgorithm", false, 32);
        if (raw == null) {
            return TsigKey.DEFAULT_ALGORITHM;
        }
        String a = raw.toLowerCase(Locale.ROOT);
        if (!TsigKey.ALGORITHMS.contains(a)) {
            r.error("tsigAlgorithm", "must be one of " + String.join(", ", new TreeSet<>(TsigKey.ALGORITHMS)));
            return null;
        }
        return a;
    }

    /** @return the secret in canonical base64, or null when absent */
    private static String secret(Fields r, JsonNode body) {
        String raw = r.text(body, "tsigSecret", "tsigSecret", false, 1024);
        if (raw == null) {
            return null;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(raw.trim());
        } catch (IllegalArgumentException e) {
            r.error("tsigSecret", "must be base64 (the secret of the server's key statement)");
            return null;
        }
        if (key.length < TsigKey.MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
            r.error(
                    "tsigSecret",
                    "must decode to " + TsigKey.MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + " bytes, not "
                            + key.length);
            return null;
        }
        return Base64.getEncoder().encodeToString(key);
    }
}
