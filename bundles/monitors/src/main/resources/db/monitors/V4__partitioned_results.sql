-- Raw results partitioned by day (issue 13): retention drops whole partitions, as bundles/metrics
-- does. Daily partitions monitor_result_pYYYYMMDD (UTC) are created ahead by the module; rows of a
-- day without one (a skewed clock, a core that was down at midnight) land in monitor_result_default,
-- which is pruned by a batched DELETE.
ALTER TABLE monitor_result RENAME TO monitor_result_v1;
ALTER INDEX monitor_result_by_monitor RENAME TO monitor_result_v1_by_monitor;
ALTER INDEX monitor_result_by_time RENAME TO monitor_result_v1_by_time;

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
) PARTITION BY RANGE (checked_at);
CREATE INDEX monitor_result_by_monitor ON monitor_result (monitor_id, checked_at DESC);

-- a partition for every day that has results, and today to two days ahead, before the copy
DO $$
DECLARE
    d date;
    last date := (now() AT TIME ZONE 'UTC')::date + 2;
BEGIN
    d := coalesce((SELECT min((checked_at AT TIME ZONE 'UTC')::date) FROM monitor_result_v1),
                  (now() AT TIME ZONE 'UTC')::date);
    WHILE d <= last LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF monitor_result FOR VALUES FROM (%L) TO (%L)',
                       'monitor_result_p' || to_char(d, 'YYYYMMDD'),
                       (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
        d := d + 1;
    END LOOP;
END $$;
CREATE TABLE monitor_result_default PARTITION OF monitor_result DEFAULT;
CREATE INDEX monitor_result_default_by_time ON monitor_result_default (checked_at);

INSERT INTO monitor_result SELECT monitor_id, agent_id, checked_at, ok, status, latency_ms, error_kind, error,
    tls_expires_at, detail FROM monitor_result_v1;
DROP TABLE monitor_result_v1;
