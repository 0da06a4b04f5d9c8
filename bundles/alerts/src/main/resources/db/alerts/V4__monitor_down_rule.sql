-- Built-in event rule for bundles/monitors' monitor.down (issue 13), editable and deletable like any other.
INSERT INTO alert_rule (id, name, kind, severity, metric, labels, event_kind, aggregate, window_seconds, op,
                        threshold, clear_threshold, for_seconds, clear_for_seconds, repeat_interval_seconds, builtin)
VALUES ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0009', 'Monitor down', 'event', 'critical', NULL, '{}', 'monitor.down',
        'last', 0, '>', NULL, NULL, 0, 0, 0, true)
-- A rule of the same name (created by an operator) keeps its place: the built-in one is skipped.
ON CONFLICT DO NOTHING;
