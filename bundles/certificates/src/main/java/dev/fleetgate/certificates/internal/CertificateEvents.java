package dev.fleetgate.certificates.internal;

import dev.fleetgate.certificates.CertificateState;

/** What the order runner tells the rest of the module (alert events, desired state). */
public interface CertificateEvents {

    /** A certificate was issued ({@code renewal}: it replaced an earlier one). */
    void issued(StoredCertificate cert, boolean renewal);

    /** An order failed; {@code problem} is the CA's problem document (JSON) or null. */
    void failed(StoredCertificate cert, String error, String problem);

    /** The state of a certificate changed (for progress). */
    default void stateChanged(StoredCertificate cert, CertificateState state) {}
}
