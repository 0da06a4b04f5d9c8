-- The seed monitor's rules, editable (and deletable) like any other, plus agent offline.
-- Metric names as the agent's host collector emits them (agent-bundle/metrics).
INSERT INTO alert_rule (id, name, kind, severity, metric, labels, event_kind, aggregate, window_seconds, op,
                        threshold, clear_threshold, for_seconds, clear_for_seconds, repeat_interval_seconds, builtin)
VALUES
    ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0001', 'CPU above 85%', 'metric', 'warning', 'host_cpu_usage_percent',
     '{"cpu": "total"}', NULL, 'last', 0, '>', 85, 80, 0, 300, 0, true),
    ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0002', 'Memory above 90% for 30 min', 'metric', 'warning',
     'host_memory_used_percent', '{}', NULL, 'last', 0, '>', 90, 88, 1800, 300, 0, true),
    ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0003', 'Disk above 95% for 2 h', 'metric', 'critical',
     'host_filesystem_used_percent', '{}', NULL, 'last', 0, '>', 95, 94, 7200, 600, 0, true),
    ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0004', 'Agent offline', 'event', 'critical', NULL, '{}', 'agent.offline',
     'last', 0, '>', NULL, NULL, 0, 0, 0, true);
