package dev.fleetgate.proxy;

import java.io.IOException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import dev.fleetgate.api.DesiredStateContributor;

/**
 * TLS of a site (filled by the certificates module).
 *
 * @param certificateId     stable id of the certificate (changes with each renewal), for
 *                          file names and change detection
 * @param certificatePem    the certificate chain, PEM, leaf first
 * @param privateKeyPem     the private key, PEM (the agent writes it with mode 0600); or, made
 *                          with {@link #sealedKey(String)}, the key sealed by {@code SecretBox}:
 *                          it is then written as {@code {"$sealed": "…"}}
 *                          ({@link DesiredStateContributor#SEALED}), so that the desired-state
 *                          rows never hold it in plaintext and the agent receives the PEM
 * @param redirectHttp      whether plain HTTP requests are redirected to HTTPS (except
 *                          ACME challenges)
 * @param hstsMaxAgeSeconds Strict-Transport-Security max-age, or null for none
 * @param ocspResponse      the OCSP response to staple (DER, base64), fetched and verified by the core, or null
 *                          (the issuer runs no OCSP responder, or none is valid yet); the agent checks it again
 *                          before stapling it (since 1.5)
 * @param ocspNextUpdate    the response's nextUpdate (epoch seconds), or null when it has none: the agent
 *                          staples no response after it (since 1.5)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tls(
        String certificateId,
        String certificatePem,

        @JsonSerialize(using = SealedKey.Writer.class) @JsonDeserialize(using = SealedKey.Reader.class)
        String privateKeyPem,

        boolean redirectHttp,
        Long hstsMaxAgeSeconds,
        String ocspResponse,
        Long ocspNextUpdate) {

    /** A TLS without an OCSP response to staple (the constructor of 1.4). */
    public Tls(
            String certificateId,
            String certificatePem,
            String privateKeyPem,
            boolean redirectHttp,
            Long hstsMaxAgeSeconds) {
        this(certificateId, certificatePem, privateKeyPem, redirectHttp, hstsMaxAgeSeconds, null, null);
    }

    /** @return a copy with this OCSP response (DER, base64) and its nextUpdate (epoch seconds); nulls for none */
    public Tls withOcsp(String response, Long nextUpdate) {
        return new Tls(
                certificateId, certificatePem, privateKeyPem, redirectHttp, hstsMaxAgeSeconds, response, nextUpdate);
    }

    /** Prefix of a {@code privateKeyPem} that holds {@code SecretBox} text rather than PEM. */
    public static final String SEALED_PREFIX = "$sealed:";

    /**
     * @param secretBoxText the private key PEM as sealed by {@code SecretBox.encrypt}
     * @return the value of {@code privateKeyPem} that is sent sealed
     */
    public static String sealedKey(String secretBoxText) {
        return SEALED_PREFIX + secretBoxText;
    }

    /** Jackson (de)serializers of a key that may be sealed. */
    static final class SealedKey {
        private SealedKey() {}

        static final class Writer extends JsonSerializer<String> {
            @Override
            public void serialize(String value, JsonGenerator gen, SerializerProvider p) throws IOException {
                if (value.startsWith(SEALED_PREFIX)) {
                    gen.writeStartObject();
                    gen.writeStringField(DesiredStateContributor.SEALED, value.substring(SEALED_PREFIX.length()));
                    gen.writeEndObject();
                } else {
                    gen.writeString(value);
                }
            }
        }

        static final class Reader extends JsonDeserializer<String> {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                JsonNode n = p.readValueAsTree();
                if (n.isObject() && n.path(DesiredStateContributor.SEALED).isTextual()) {
                    return sealedKey(n.get(DesiredStateContributor.SEALED).asText());
                }
                return n.isNull() ? null : n.asText();
            }
        }
    }
}
