-- Module 6 (firewall): blocks (manual and detected, enforced or shadow), repeat offenders (TTL escalation)
-- and the detector settings (one JSON document, the shape of GET /api/v1/firewall/settings).
CREATE TABLE firewall_block (
    ip          text        NOT NULL,
    scope_key   text        NOT NULL,           -- 'global' or the service id
    service_id  uuid,                           -- null for global blocks
    detector    text        NOT NULL,           -- 'manual' or a detector name
    action      text        NOT NULL,           -- 'block' (403) or 'limit' (429)
    enforced    boolean     NOT NULL,           -- false: shadow mode (reported, not applied)
    reason      text        NOT NULL,
    evidence    jsonb       NOT NULL DEFAULT '{}',
    since       timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (ip, scope_key)
);
CREATE INDEX firewall_block_expires ON firewall_block (expires_at);

CREATE TABLE firewall_offender (
    ip          text        PRIMARY KEY,
    offences    integer     NOT NULL,
    last_at     timestamptz NOT NULL
);

CREATE TABLE firewall_settings (
    id          integer     PRIMARY KEY CHECK (id = 1),
    body        jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
