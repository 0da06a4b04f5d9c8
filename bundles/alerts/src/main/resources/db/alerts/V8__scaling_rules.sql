-- Built-in event rules for bundles/scaling's alert events (issue 17), editable and deletable like any other:
-- scaling.at-max fires when a service has run at its maxReplicas for 10 minutes (the scaling module waits those
-- 10 minutes itself) and clears when it runs fewer; scaling.flapping fires after 3 changes of scaling direction
-- within 10 minutes and clears when the window holds none. Ids 02xx: module 2.
INSERT INTO alert_rule (id, name, kind, severity, metric, labels, event_kind, aggregate, window_seconds, op,
                        threshold, clear_threshold, for_seconds, clear_for_seconds, repeat_interval_seconds, builtin)
VALUES ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0201', 'At max replicas for 10 min', 'event', 'warning', NULL, '{}',
        'scaling.at-max', 'last', 0, '>', NULL, NULL, 0, 0, 0, true),
       ('6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0202', 'Scaling flapping', 'event', 'warning', NULL, '{}',
        'scaling.flapping', 'last', 0, '>', NULL, NULL, 0, 0, 0, true)
-- A rule of the same name (created by an operator) keeps its place: the built-in one is skipped.
ON CONFLICT DO NOTHING;
