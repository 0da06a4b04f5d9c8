-- Event rules with forSeconds (issue 12): a firing event waits here until its condition has lasted
-- forSeconds (from the event's occurredAt); a cleared event deletes it. The periodic evaluation opens
-- the due ones; the state is in PostgreSQL, so it survives a core restart and is shared by the cores.
CREATE TABLE alert_event_pending (
    rule_id uuid NOT NULL REFERENCES alert_rule ON DELETE CASCADE,
    subject text NOT NULL,
    since   timestamptz NOT NULL,
    value   double precision,
    message text,
    labels  jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (rule_id, subject)
);
