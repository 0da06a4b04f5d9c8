-- History of every service's configuration: one row per revision, written in the same
-- transaction as the change (create, update, scale, rollback). The store keeps the last
-- 100 revisions of each service (ServiceStore.KEPT_REVISIONS); the history goes with the
-- service when it is deleted (the activity log keeps who deleted it).
CREATE TABLE proxy_service_revision (
  service_id      uuid        NOT NULL REFERENCES proxy_service (id) ON DELETE CASCADE,
  revision        bigint      NOT NULL,
  config          jsonb       NOT NULL,
  changed_by      text,
  changed_at      timestamptz NOT NULL DEFAULT now(),
  action          text        NOT NULL,
  source_revision bigint,
  CONSTRAINT proxy_service_revision_pk PRIMARY KEY (service_id, revision)
);

-- Services that exist before this migration start their history at their current revision.
INSERT INTO proxy_service_revision (service_id, revision, config, changed_by, changed_at, action)
  SELECT id, revision, config, NULL, updated_at, 'MIGRATED' FROM proxy_service;
