package dev.fleetgate.certificates;

/** The state of a certificate as the API shows it. */
public enum CertificateState {
    /** requested, never issued yet (an order may be running) */
    PENDING,
    /** issued and current */
    VALID,
    /** issued; a renewal order is running */
    RENEWING,
    /** the last order failed (an earlier certificate, if any, keeps serving); retried with backoff */
    FAILED;

    /** Desired-state section with the http-01 tokens the agents serve: {@code {"tokens":{"<token>":"<key authorization>"}}}. */
    public static final String ACME_SECTION = "acme";
}
