-- Built-in rule "service 5xx rate above X%" (issue 12): the agent's access-log aggregation reports
-- service_5xx_ratio_percent{service} per interval (5xx answers / all requests; 0 without requests).
-- Fires when every interval of a minute (by sample time) is above 5%, clears after a minute below 4%.
-- Editable and deletable like any other built-in rule.
INSERT INTO alert_rule (id, name, kind, severity, metric, labels, event_kind, aggregate, window_seconds, op,
                        threshold, clear_threshold, for_seconds, clear_for_seconds, repeat_interval_seconds, builtin)
VALUES ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a000a', 'Service 5xx above 5%', 'metric', 'warning',
        'service_5xx_ratio_percent', '{}', NULL, 'last', 0, '>', 5, 4, 60, 60, 0, true)
-- A rule of the same name (created by an operator) keeps its place: the built-in one is skipped.
ON CONFLICT DO NOTHING;
