-- The history outlives the service (issue 18): deleting a service records a DELETED revision
-- (its last configuration) and keeps the others, so GET /services/{id}/revisions still answers and
-- the service can be restored from any kept revision. ServiceStore bounds it: the histories of the
-- 100 most recently deleted services are kept (ServiceStore.KEPT_DELETED), each at most 100 revisions.
ALTER TABLE proxy_service_revision DROP CONSTRAINT IF EXISTS proxy_service_revision_service_id_fkey;
CREATE INDEX proxy_service_revision_deleted ON proxy_service_revision (changed_at DESC) WHERE action = 'DELETED';
