package dev.fleetgate.proxy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * TLS of a site (filled by the certificates module).
 *
 * @param certificateId     stable id of the certificate (changes with each renewal), for
 *                          file names and change detection
 * @param certificatePem    the certificate chain, PEM, leaf first
 * @param privateKeyPem     the private key, PEM (the agent writes it with mode 0600)
 * @param redirectHttp      whether plain HTTP requests are redirected to HTTPS (except
 *                          ACME challenges)
 * @param hstsMaxAgeSeconds Strict-Transport-Security max-age, or null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tls(String certificateId, String certificatePem, String privateKeyPem, boolean redirectHttp,
        Long hstsMaxAgeSeconds) {
}
