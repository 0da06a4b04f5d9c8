-- Module 2 (scaling): autoscaling policy per service and the loop's decisions.
CREATE TABLE scaling_policy (
    service_id    uuid        PRIMARY KEY,
    policy        jsonb       NOT NULL,            -- PolicyJson.write form
    paused_until  timestamptz,                     -- a manual replica change pauses the policy until then
    paused_by     text,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scaling_decision (
    id            bigserial   PRIMARY KEY,
    service_id    uuid        NOT NULL,
    at            timestamptz NOT NULL,            -- the sample time it was decided on
    from_replicas integer     NOT NULL,            -- service-wide totals
    to_replicas   integer     NOT NULL,
    recommended   integer     NOT NULL,            -- what the signals asked for (-1 unknown)
    rule          text        NOT NULL,
    reason        text        NOT NULL,
    signals       jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX scaling_decision_service ON scaling_decision (service_id, id DESC);
CREATE INDEX scaling_decision_at ON scaling_decision (at);
