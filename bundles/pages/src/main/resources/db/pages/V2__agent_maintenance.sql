-- Module 5 (pages): maintenance mode of a whole agent (every service site it serves).
CREATE TABLE page_agent_maintenance (
    agent_id            uuid        PRIMARY KEY,
    enabled             boolean     NOT NULL,
    message             text,
    retry_after_seconds integer,
    allow               jsonb       NOT NULL DEFAULT '[]',
    starts_at           timestamptz,
    ends_at             timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
