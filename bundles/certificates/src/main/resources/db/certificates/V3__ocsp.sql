-- OCSP stapling (issue 14): the OCSP state of the current version of each certificate. The core fetches and
-- verifies the response from the responder named in the leaf's AIA, refreshes it before its nextUpdate, and sends
-- the verified response to the agents in the proxy section (Tls.ocspResponse), which staple it.
CREATE TABLE certificate_ocsp (
    certificate_id uuid        PRIMARY KEY REFERENCES certificate (id) ON DELETE CASCADE,
    version        int         NOT NULL,  -- the certificate version this state belongs to
    url            text,                  -- OCSP responder of the leaf (AIA); null = none (nothing to staple)
    status         text        NOT NULL CHECK (status IN ('none', 'pending', 'good', 'revoked', 'unknown')),
    response       bytea,                 -- the last verified response (DER), good or revoked
    this_update    timestamptz,
    next_update    timestamptz,
    revoked_at     timestamptz,
    fetched_at     timestamptz,
    next_fetch_at  timestamptz NOT NULL DEFAULT now(),
    failures       int         NOT NULL DEFAULT 0,
    error          text
);
