-- Uptime monitors (issue 13). Results are kept raw for MonitorsConfig.resultRetentionDays and
-- deleted after that by a periodic batched DELETE (index monitor_result_by_time); never unbounded.
CREATE TABLE monitor (
    id               uuid PRIMARY KEY,
    name             text        NOT NULL UNIQUE,
    type             text        NOT NULL CHECK (type IN ('http', 'tls')),
    target           text        NOT NULL,
    interval_seconds int         NOT NULL CHECK (interval_seconds BETWEEN 10 AND 86400),
    agent_ids        jsonb       NOT NULL DEFAULT '[]',
    expect           jsonb       NOT NULL DEFAULT '{}',
    follow_redirects boolean     NOT NULL DEFAULT true,
    confirmations    int         NOT NULL DEFAULT 2 CHECK (confirmations BETWEEN 1 AND 20),
    timeout_ms       int         NOT NULL DEFAULT 10000,
    state            text        NOT NULL DEFAULT 'PENDING',
    state_since      timestamptz NOT NULL DEFAULT now(),
    next_run_at      timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitor_due ON monitor (next_run_at);

-- Consecutive failures per (monitor, agent): the confirmation counter.
CREATE TABLE monitor_agent_state (
    monitor_id           uuid        NOT NULL REFERENCES monitor (id) ON DELETE CASCADE,
    agent_id             text        NOT NULL,
    consecutive_failures int         NOT NULL DEFAULT 0,
    last_checked_at      timestamptz NOT NULL,
    PRIMARY KEY (monitor_id, agent_id)
);

CREATE TABLE monitor_result (
    monitor_id     uuid        NOT NULL REFERENCES monitor (id) ON DELETE CASCADE,
    agent_id       text        NOT NULL,
    checked_at     timestamptz NOT NULL,
    ok             boolean     NOT NULL,
    status         int,
    latency_ms     int,
    error_kind     text,
    error          text,
    tls_expires_at timestamptz,
    detail         jsonb
);
CREATE INDEX monitor_result_by_monitor ON monitor_result (monitor_id, checked_at DESC);
CREATE INDEX monitor_result_by_time ON monitor_result (checked_at);
