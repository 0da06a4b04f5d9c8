-- dns and json monitors, per-type options, confirmation from K agents, monitors attached to a service.
ALTER TABLE monitor DROP CONSTRAINT monitor_type_check;
ALTER TABLE monitor ADD CONSTRAINT monitor_type_check CHECK (type IN ('http', 'tls', 'dns', 'json'));
-- dns: {"recordType", "resolver"?}; http/json: {"headers"?: {name: value}}
ALTER TABLE monitor ADD COLUMN options jsonb NOT NULL DEFAULT '{}';
-- K: DOWN needs at least this many failing agents (null: every agent that reported)
ALTER TABLE monitor ADD COLUMN confirm_agents int CHECK (confirm_agents BETWEEN 1 AND 50);
-- attached to a proxy service (bundles/proxy): the checks follow its domains
ALTER TABLE monitor ADD COLUMN service_id text;
CREATE INDEX monitor_by_service ON monitor (service_id) WHERE service_id IS NOT NULL;
