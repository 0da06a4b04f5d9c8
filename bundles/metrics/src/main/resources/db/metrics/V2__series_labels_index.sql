-- Label matchers (labels @> '{"agent":"a1"}') were answered by reading every series of the metric:
-- with 100,000 series of one name (10,000 agents' worth), a 1-series query spent ~0.2 s finding
-- its series. A GIN index on the labels finds them directly (bench/README.md, "Queries").
CREATE INDEX metric_series_labels ON metric_series USING gin (labels jsonb_path_ops);
