package dev.fleetgate.certificates.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.certificates.internal.CertificateStore;
import dev.fleetgate.certificates.internal.OcspStore;
import dev.fleetgate.certificates.internal.StoredCertificate;

/** JSON shapes of the certificates API (never a private key: {@code privateKeySet} only). */
public final class CertificateJson {
    private CertificateJson() {}

    public static ObjectNode certificate(StoredCertificate c) {
        return certificate(c, null);
    }

    /** @param ocsp the OCSP state of the certificate's current version, or null when none was made yet */
    public static ObjectNode certificate(StoredCertificate c, OcspStore.State ocsp) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", c.id().toString());
        o.put("source", c.source());
        o.put("serviceId", c.serviceId() == null ? null : c.serviceId().toString());
        ArrayNode d = o.putArray("domains");
        c.domains().forEach(d::add);
        o.put("state", c.state().name());
        o.put("issuer", c.issuer());
        o.put("serial", c.serial());
        o.put("notBefore", text(c.notBefore()));
        o.put("notAfter", text(c.notAfter()));
        o.put("nextRenewal", c.acme() && c.certPem() != null ? text(c.nextAttemptAt()) : null);
        o.put("renewalInfo", c.ari());
        o.put("nextAttemptAt", text(c.nextAttemptAt()));
        o.put("failures", c.failures());
        o.put("error", c.error());
        if (c.problem() != null) {
            try {
                o.set("problem", new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.problem()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                o.put("problem", c.problem());
            }
        } else {
            o.putNull("problem");
        }
        Boolean served = c.served();
        if (served == null) {
            o.putNull("served");
        } else {
            o.put("served", served);
        }
        o.put("servedError", c.servedError());
        o.put("servedCheckedAt", text(c.servedCheckedAt()));
        o.set("ocsp", ocsp(c, ocsp));
        o.put("certificatePem", c.certPem());
        o.put("privateKeySet", c.keySealed() != null);
        o.put("createdAt", text(c.createdAt()));
        o.put("updatedAt", text(c.updatedAt()));
        return o;
    }

    /**
     * OCSP stapling of a certificate: {@code status} none (no responder in the leaf, or no issuer in the chain: nothing
     * to staple), pending (not fetched yet), good, revoked or unknown (the responder's last verified answer);
     * {@code stapled} whether the agents staple a response now (verified, good or revoked, before its nextUpdate).
     */
    static ObjectNode ocsp(StoredCertificate c, OcspStore.State s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        boolean current = s != null && s.version() == c.version();
        o.put("status", current ? s.status() : c.certPem() == null ? "none" : "pending");
        o.put("url", current ? s.url() : null);
        o.put("stapled", current && s.stapleAt(java.time.Instant.now()) != null);
        o.put("thisUpdate", current ? text(s.thisUpdate()) : null);
        o.put("nextUpdate", current ? text(s.nextUpdate()) : null);
        o.put("revokedAt", current ? text(s.revokedAt()) : null);
        o.put("fetchedAt", current ? text(s.fetchedAt()) : null);
        o.put("nextFetchAt", current && s.url() != null ? text(s.nextFetchAt()) : null);
        o.put("failures", current ? s.failures() : 0);
        o.put("lastError", current ? s.error() : null);
        return o;
    }

    public static ObjectNode serviceTls(String serviceId, CertificateStore.ServiceTls t, String problem) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("serviceId", serviceId);
        o.put("mode", t == null ? "off" : t.mode());
        o.put(
                "certificateId",
                t == null || t.certificateId() == null
                        ? null
                        : t.certificateId().toString());
        o.put("redirectHttp", t == null || t.redirectHttp());
        if (t == null || t.hstsMaxAge() == null) {
            o.putNull("hstsMaxAgeSeconds");
        } else {
            o.put("hstsMaxAgeSeconds", t.hstsMaxAge());
        }
        o.put("problem", problem);
        return o;
    }

    /** @throws ApiException 400 (field {@code body}) unless the body is a JSON object */
    public static void requireObject(com.fasterxml.jackson.databind.JsonNode body) {
        if (body == null || !body.isObject()) {
            throw dev.fleetgate.api.ApiException.invalid("body", "must be a JSON object");
        }
    }

    private static String text(java.time.Instant t) {
        return t == null ? null : t.toString();
    }
}
