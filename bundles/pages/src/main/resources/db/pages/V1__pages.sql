-- Module 5 (pages): templates edited by operators (the shipped defaults live in the bundle) and
-- maintenance mode per service.
CREATE TABLE page_template (
    scope       text        NOT NULL,           -- 'default' (fleet-wide) or a service id
    page        text        NOT NULL,           -- '403'..'504' or 'maintenance'
    html        text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, page)
);

CREATE TABLE page_maintenance (
    service_id          uuid        PRIMARY KEY,
    enabled             boolean     NOT NULL,
    message             text,
    retry_after_seconds integer,
    allow               jsonb       NOT NULL DEFAULT '[]',
    starts_at           timestamptz,
    ends_at             timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
