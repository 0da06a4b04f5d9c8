-- Who changed what through the API: one row per successful POST/PUT/PATCH/DELETE by a
-- user (never a body). Pruned by age and count (ActivityStore).
CREATE TABLE activity_log (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL,
    username text NOT NULL,
    action   text NOT NULL,
    target   text,
    status   integer NOT NULL
);
CREATE INDEX activity_log_at ON activity_log (at);
