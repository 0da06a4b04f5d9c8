package dev.fleetgate.agent.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the agent received at enrolment, kept in {@code <stateDir>/agent.json} (0600).
 *
 * @param core             the core URL it enrolled with
 * @param agentId          its id
 * @param apiKey           its API key (a secret: never logged)
 * @param name             the name it enrolled with (may be {@code null} in files written by hand)
 * @param coreFingerprint  the pinned SHA-256 of the core's TLS certificate ({@code sha256:<hex>}), or {@code null}
 *                         (loopback http, or a certificate checked against the JVM's CAs)
 * @param bundleSigningKey the core's Ed25519 bundle-signing public key (base64 X.509), or {@code null} for agents
 *                         enrolled before bundles were signed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentIdentity(
        String core, String agentId, String apiKey, String name, String coreFingerprint, String bundleSigningKey) {

    public AgentIdentity withCoreFingerprint(String fingerprint) {
        return new AgentIdentity(core, agentId, apiKey, name, fingerprint, bundleSigningKey);
    }

    public AgentIdentity withBundleSigningKey(String key) {
        return new AgentIdentity(core, agentId, apiKey, name, coreFingerprint, key);
    }

    @Override
    public String toString() {
        return "AgentIdentity[core=" + core + ", agentId=" + agentId + ", name=" + name + ", coreFingerprint="
                + coreFingerprint + "]";
    }
}
