-- Module 7 (metrics). Partitions of the three time-partitioned tables are created ahead and
-- dropped by retention at run time (PartitionManager); only the parents are created here.

-- A series is a name and its labels (agent included). Ids are cached in memory by the cores.
CREATE TABLE metric_series (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    labels     jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT metric_series_name_labels UNIQUE (name, labels)
);

-- Raw samples, written by binary COPY. No unique index (it would halve the COPY rate):
-- a batch the agent resent after a lost answer is stored twice, and every read
-- (queries, rollups) keeps one sample per (series_id, ts).
CREATE TABLE metric_sample (
    ts        timestamptz NOT NULL,
    series_id bigint NOT NULL,
    value     double precision NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX metric_sample_ts ON metric_sample USING brin (ts) WITH (pages_per_range = 16);

-- Rollups: one row per series and bucket (1 minute, 1 hour), upserted by the rollup job.
-- p95 is exact per minute (from raw) and the 95th percentile of the minutes' p95 per hour.
CREATE TABLE metric_rollup_1m (
    series_id  bigint NOT NULL,
    bucket     timestamptz NOT NULL,
    cnt        integer NOT NULL,
    sum        double precision NOT NULL,
    min        double precision NOT NULL,
    max        double precision NOT NULL,
    p95        double precision NOT NULL,
    last_ts    timestamptz NOT NULL,
    last_value double precision NOT NULL,
    PRIMARY KEY (series_id, bucket)
) PARTITION BY RANGE (bucket);

CREATE TABLE metric_rollup_1h (LIKE metric_rollup_1m INCLUDING DEFAULTS, PRIMARY KEY (series_id, bucket))
    PARTITION BY RANGE (bucket);
-- For reads across all series by time (latest values, top-N): rows arrive in time order.
CREATE INDEX metric_rollup_1m_bucket ON metric_rollup_1m USING brin (bucket);
CREATE INDEX metric_rollup_1h_bucket ON metric_rollup_1h USING brin (bucket);

-- Where each rollup has been computed up to (it recomputes a tolerance before that too).
CREATE TABLE metric_rollup_state (
    resolution text PRIMARY KEY,
    done_until timestamptz NOT NULL
);

-- Time ranges of samples that arrived later than the tolerance: recomputed once, then deleted.
CREATE TABLE metric_rollup_pending (
    id      bigserial PRIMARY KEY,
    from_ts timestamptz NOT NULL,
    to_ts   timestamptz NOT NULL
);

-- What the agents scrape for a service (the proxy module owns the services).
CREATE TABLE metric_scrape (
    service_id       uuid PRIMARY KEY,
    format           text NOT NULL CHECK (format IN ('json', 'prometheus')),
    path             text NOT NULL,
    interval_seconds integer NOT NULL CHECK (interval_seconds BETWEEN 5 AND 3600),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
