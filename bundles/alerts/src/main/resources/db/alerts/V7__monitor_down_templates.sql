-- Built-in templates for bundles/monitors' monitor.down (issue 13), one per channel type and event.
-- Stored rows like any other: an operator edits them with PUT /alerts/templates, and DELETE falls
-- back to the kind '*' or built-in template. {{message}} is the monitor's incident report (several
-- lines); the labels (monitor, target, errorKind, agent, failingAgents, since, lastSuccess, service,
-- service5xxPercent, errorLogLines) are read by name through {{label.<name>}}.
INSERT INTO alert_template (kind, channel_type, event, body) VALUES
('monitor.down', 'telegram', 'opened', $t${{#repeat}}[REMINDER] {{/repeat}}{{#test}}[TEST] {{/test}}🔴 Monitor {{label.monitor}} is DOWN{{#label.errorKind}} ({{label.errorKind}}){{/label.errorKind}}
{{message}}
{{#label.failingAgents}}
Failing agents: {{label.failingAgents}}
{{/label.failingAgents}}
{{#link}}
{{link}}
{{/link}}
$t$),
('monitor.down', 'telegram', 'resolved', $t${{#test}}[TEST] {{/test}}✅ Monitor {{label.monitor}} is UP again
{{label.target}}
Down for {{duration}} (since {{since}}, resolved {{resolvedAt}})
{{#link}}
{{link}}
{{/link}}
$t$),
('monitor.down', 'webhook', 'opened', $t${{#repeat}}[REMINDER] {{/repeat}}{{#test}}[TEST] {{/test}}[{{severityUpper}}] Monitor {{label.monitor}} is DOWN{{#label.errorKind}} ({{label.errorKind}}){{/label.errorKind}}
{{message}}
{{#link}}
{{link}}
{{/link}}
$t$),
('monitor.down', 'webhook', 'resolved', $t${{#test}}[TEST] {{/test}}[RESOLVED] Monitor {{label.monitor}} is UP again
{{label.target}}
Down for {{duration}} (since {{since}}, resolved {{resolvedAt}})
{{#link}}
{{link}}
{{/link}}
$t$),
('monitor.down', 'email', 'opened', $t${{#repeat}}[REMINDER] {{/repeat}}{{#test}}[TEST] {{/test}}[{{severityUpper}}] Monitor {{label.monitor}} is DOWN{{#label.errorKind}} ({{label.errorKind}}){{/label.errorKind}}
{{message}}

Target: {{label.target}}
{{#label.failingAgents}}
Failing agents: {{label.failingAgents}}
{{/label.failingAgents}}
{{#label.service}}
Service: {{label.service}}{{#label.service5xxPercent}} ({{label.service5xxPercent}}% 5xx){{/label.service5xxPercent}}
{{/label.service}}
{{#link}}
{{link}}
{{/link}}
Rule: {{rule}} (severity {{severity}})
-- Fleetgate
$t$),
('monitor.down', 'email', 'resolved', $t${{#test}}[TEST] {{/test}}[RESOLVED] Monitor {{label.monitor}} is UP again
Target: {{label.target}}
Down for {{duration}} (since {{since}}, resolved {{resolvedAt}})
{{#link}}
{{link}}
{{/link}}
Rule: {{rule}} (severity {{severity}})
-- Fleetgate
$t$)
-- A template an operator stored before keeps its place.
ON CONFLICT DO NOTHING;
