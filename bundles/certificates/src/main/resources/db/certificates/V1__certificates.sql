-- ACME certificates (issue 14). Private keys (account and certificate) are sealed with SecretBox.

-- One ACME account per directory URL (per installation: every core sharing the database uses it).
CREATE TABLE certificate_account (
    directory_url  text        PRIMARY KEY,
    account_url    text,
    key_sealed     text        NOT NULL,
    email          text,
    terms_agreed   boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Certificates: ACME-managed ('acme') or uploaded ('custom'); service_id set for a service's certificate.
CREATE TABLE certificate (
    id              uuid        PRIMARY KEY,
    source          text        NOT NULL CHECK (source IN ('acme', 'custom')),
    service_id      uuid        UNIQUE,
    domains         jsonb       NOT NULL,
    state           text        NOT NULL CHECK (state IN ('PENDING', 'VALID', 'RENEWING', 'FAILED')),
    version         int         NOT NULL DEFAULT 0,
    cert_pem        text,
    key_sealed      text,
    issuer          text,
    serial          text,
    not_before      timestamptz,
    not_after       timestamptz,
    renew_at        timestamptz,
    ari             boolean     NOT NULL DEFAULT false,
    error           text,
    problem         jsonb,
    failures        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX certificate_due ON certificate (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

-- The order in progress of a certificate (at most one): lets another core, or this one after a restart, resume it.
CREATE TABLE certificate_order (
    certificate_id  uuid        PRIMARY KEY REFERENCES certificate (id) ON DELETE CASCADE,
    directory_url   text        NOT NULL,
    order_url       text        NOT NULL,
    key_sealed      text        NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now()
);

-- http-01 challenge responses every agent serves at /.well-known/acme-challenge/<token> (desired-state section acme).
CREATE TABLE certificate_challenge (
    token             text        PRIMARY KEY,
    key_authorization text        NOT NULL,
    certificate_id    uuid        NOT NULL REFERENCES certificate (id) ON DELETE CASCADE,
    domain            text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);

-- TLS settings of services (the service field tls): off, auto (an ACME certificate of its domains) or custom.
CREATE TABLE certificate_service_tls (
    service_id          uuid    PRIMARY KEY,
    mode                text    NOT NULL CHECK (mode IN ('off', 'auto', 'custom')),
    certificate_id      uuid    REFERENCES certificate (id) ON DELETE SET NULL,
    redirect_http       boolean NOT NULL DEFAULT true,
    hsts_max_age        bigint,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
