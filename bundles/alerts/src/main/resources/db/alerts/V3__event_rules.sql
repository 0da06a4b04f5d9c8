-- Built-in event rules for the alert events other modules post (issue 12), editable and deletable
-- like any other: bundles/proxy (service.target.down, service.down, container.replica.failed) and
-- platform/agents (proxy.apply.failed).
INSERT INTO alert_rule (id, name, kind, severity, metric, labels, event_kind, aggregate, window_seconds, op,
                        threshold, clear_threshold, for_seconds, clear_for_seconds, repeat_interval_seconds, builtin)
VALUES
    ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0005', 'Service target down', 'event', 'warning', NULL, '{}',
     'service.target.down', 'last', 0, '>', NULL, NULL, 0, 0, 0, true),
    ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0006', 'Service down', 'event', 'critical', NULL, '{}',
     'service.down', 'last', 0, '>', NULL, NULL, 0, 0, 0, true),
    ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0007', 'Container replica failing', 'event', 'warning', NULL, '{}',
     'container.replica.failed', 'last', 0, '>', NULL, NULL, 0, 0, 0, true),
    ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0008', 'Proxy apply failed', 'event', 'critical', NULL, '{}',
     'proxy.apply.failed', 'last', 0, '>', NULL, NULL, 0, 0, 0, true)
-- A rule of the same name (created by an operator) keeps its place: that built-in one is skipped.
ON CONFLICT DO NOTHING;
