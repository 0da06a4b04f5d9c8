-- Hourly aggregates of the raw results (issue 13): kept hourlyRetentionDays after the raw rows are
-- gone; the 7- and 30-day uptime are read from here.
CREATE TABLE monitor_hourly (
    monitor_id     uuid        NOT NULL REFERENCES monitor (id) ON DELETE CASCADE,
    hour           timestamptz NOT NULL,
    agent_id       text        NOT NULL,
    checks         int         NOT NULL,
    ok             int         NOT NULL,
    latency_avg_ms real,
    latency_max_ms int,
    PRIMARY KEY (monitor_id, hour, agent_id)
);
CREATE INDEX monitor_hourly_by_hour ON monitor_hourly (hour);
