-- Services of the proxy module. The configuration is one JSONB document (validated and
-- normalised by the bundle); domains are also kept in their own table, whose primary key
-- makes a domain belong to at most one service, even under concurrent writes.
CREATE TABLE proxy_service (
  id         uuid        PRIMARY KEY,
  name       text        NOT NULL,
  revision   bigint      NOT NULL,
  config     jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT proxy_service_name_uq UNIQUE (name)
);

CREATE TABLE proxy_service_domain (
  domain     text NOT NULL,
  service_id uuid NOT NULL REFERENCES proxy_service (id) ON DELETE CASCADE,
  CONSTRAINT proxy_service_domain_pk PRIMARY KEY (domain)
);

CREATE INDEX proxy_service_domain_service ON proxy_service_domain (service_id);
