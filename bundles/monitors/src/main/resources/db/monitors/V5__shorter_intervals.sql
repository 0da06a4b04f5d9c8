-- The shortest interval is configuration now (MonitorsConfig.minIntervalSeconds, 1..3600, default 10),
-- checked by MonitorInput; the table only keeps the absolute bounds.
ALTER TABLE monitor DROP CONSTRAINT monitor_interval_seconds_check;
ALTER TABLE monitor ADD CONSTRAINT monitor_interval_seconds_check CHECK (interval_seconds BETWEEN 1 AND 86400);
