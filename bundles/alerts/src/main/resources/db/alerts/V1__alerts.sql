-- Module 8 (alerts): channels, rules, incidents with their timeline, the delivery outbox, silences,
-- templates. Reads the metrics module's metric_series / metric_sample for metric rules.

CREATE TABLE alert_channel (
    id              uuid PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    type            text NOT NULL,
    settings        jsonb NOT NULL,                 -- without the secret fields
    secrets         jsonb NOT NULL DEFAULT '{}',    -- field -> SecretBox-sealed text
    rate_per_minute integer NOT NULL DEFAULT 20 CHECK (rate_per_minute BETWEEN 1 AND 6000),
    blocked_until   timestamptz,                    -- e.g. Telegram's 429 retry_after
    enabled         boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alert_rule (
    id                      uuid PRIMARY KEY,
    name                    text NOT NULL UNIQUE,
    kind                    text NOT NULL CHECK (kind IN ('metric', 'event')),
    enabled                 boolean NOT NULL DEFAULT true,
    severity                text NOT NULL DEFAULT 'warning' CHECK (severity IN ('info', 'warning', 'critical')),
    metric                  text,
    labels                  jsonb NOT NULL DEFAULT '{}',
    aggregate               text NOT NULL DEFAULT 'last' CHECK (aggregate IN ('avg', 'max', 'min', 'last')),
    window_seconds          integer NOT NULL DEFAULT 0,
    op                      text NOT NULL DEFAULT '>' CHECK (op IN ('>', '>=', '<', '<=')),
    threshold               double precision,
    clear_threshold         double precision,
    for_seconds             integer NOT NULL DEFAULT 0,
    clear_for_seconds       integer NOT NULL DEFAULT 0,
    event_kind              text,
    repeat_interval_seconds integer NOT NULL DEFAULT 0,
    channel_ids             uuid[] NOT NULL DEFAULT '{}',
    builtin                 boolean NOT NULL DEFAULT false,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'metric' OR (metric IS NOT NULL AND threshold IS NOT NULL)),
    CHECK (kind <> 'event' OR event_kind IS NOT NULL)
);

-- Where a metric rule has evaluated each series up to (by sample time), and its condition state.
CREATE TABLE alert_series_state (
    rule_id      uuid NOT NULL REFERENCES alert_rule ON DELETE CASCADE,
    series_id    bigint NOT NULL,
    evaluated_to timestamptz NOT NULL,
    run_start    timestamptz,     -- first sample of the current run of breaching samples
    clear_start  timestamptz,     -- first sample of the current run of clear samples while firing
    firing       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (rule_id, series_id)
);

CREATE TABLE incident (
    id               uuid PRIMARY KEY,
    rule_id          uuid NOT NULL REFERENCES alert_rule ON DELETE CASCADE,
    subject          text NOT NULL,
    state            text NOT NULL CHECK (state IN ('OPEN', 'RESOLVED')),
    severity         text NOT NULL,
    kind             text NOT NULL,
    value            double precision,
    message          text,
    labels           jsonb NOT NULL DEFAULT '{}',
    opened_at        timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    resolved_at      timestamptz,
    acked_at         timestamptz,
    acked_by         text,
    flapping         boolean NOT NULL DEFAULT false,
    notified         boolean NOT NULL DEFAULT false,
    last_notified_at timestamptz
);
-- One open incident per (rule, subject): opening is INSERT ... ON CONFLICT DO NOTHING on it.
CREATE UNIQUE INDEX incident_one_open ON incident (rule_id, subject) WHERE state = 'OPEN';
CREATE INDEX incident_opened ON incident (opened_at DESC);
CREATE INDEX incident_rule_subject ON incident (rule_id, subject, opened_at DESC);

CREATE TABLE incident_event (
    id          bigserial PRIMARY KEY,
    incident_id uuid NOT NULL REFERENCES incident ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    type        text NOT NULL,
    detail      text
);
CREATE INDEX incident_event_incident ON incident_event (incident_id, id);

-- The outbox: written in the transaction that opens/resolves an incident, claimed by one core
-- with FOR UPDATE SKIP LOCKED.
CREATE TABLE alert_delivery (
    id              bigserial PRIMARY KEY,
    incident_id     uuid REFERENCES incident ON DELETE CASCADE,
    channel_id      uuid NOT NULL REFERENCES alert_channel ON DELETE CASCADE,
    event           text NOT NULL CHECK (event IN ('opened', 'resolved', 'repeat', 'test')),
    state           text NOT NULL CHECK (state IN ('PENDING', 'SENT', 'FAILED')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX alert_delivery_pending ON alert_delivery (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX alert_delivery_incident ON alert_delivery (incident_id);
CREATE INDEX alert_delivery_channel_sent ON alert_delivery (channel_id, sent_at) WHERE state = 'SENT';

CREATE TABLE alert_silence (
    id         uuid PRIMARY KEY,
    rule_id    uuid REFERENCES alert_rule ON DELETE CASCADE,
    subject    text,               -- exact, or a glob with *
    until      timestamptz NOT NULL,
    comment    text,
    created_by text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Overrides of the built-in templates: kind '*' applies to every kind of the channel type.
CREATE TABLE alert_template (
    kind         text NOT NULL,
    channel_type text NOT NULL,
    event        text NOT NULL CHECK (event IN ('opened', 'resolved')),
    body         text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, channel_type, event)
);
