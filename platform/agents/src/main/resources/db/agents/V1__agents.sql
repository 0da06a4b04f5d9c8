-- Agents, enrolment, desired/applied state, tasks and bundle deployment.
CREATE TABLE agents (
  id            uuid        PRIMARY KEY,
  name          text        NOT NULL UNIQUE,
  hostname      text        NOT NULL,
  role          text        NOT NULL DEFAULT 'host',
  api_key_hash  text        NOT NULL,
  version       text,
  address       text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz
);

CREATE TABLE enrollment_tokens (
  token_hash  text        PRIMARY KEY,
  name        text,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  agent_id    uuid REFERENCES agents(id) ON DELETE SET NULL
);

CREATE TABLE desired_state (
  agent_id   uuid        NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  section    text        NOT NULL,
  revision   bigint      NOT NULL,
  digest     text        NOT NULL,
  body       jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, section)
);

-- revision = last revision applied without error; failed_revision/error = last failure.
CREATE TABLE applied_state (
  agent_id        uuid        NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  section         text        NOT NULL,
  revision        bigint      NOT NULL DEFAULT 0,
  failed_revision bigint      NOT NULL DEFAULT 0,
  error           text,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, section)
);

CREATE TABLE tasks (
  id           uuid        PRIMARY KEY,
  agent_id     uuid        NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  type         text        NOT NULL,
  payload      jsonb       NOT NULL,
  status       text        NOT NULL,
  attempts     integer     NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  completed_at timestamptz,
  expires_at   timestamptz NOT NULL,
  result       jsonb,
  error        text
);
CREATE INDEX tasks_agent_status ON tasks (agent_id, status);
CREATE INDEX tasks_open_expiry ON tasks (expires_at) WHERE status IN ('PENDING', 'DELIVERED');

CREATE TABLE bundle_artifacts (
  id            uuid        PRIMARY KEY,
  symbolic_name text        NOT NULL,
  version       text        NOT NULL,
  sha256        text        NOT NULL UNIQUE,
  size          bigint      NOT NULL,
  content       bytea       NOT NULL,
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  uploaded_by   text
);

-- agent_id NULL = every agent.
CREATE TABLE bundle_deployments (
  artifact_id uuid        NOT NULL REFERENCES bundle_artifacts(id) ON DELETE CASCADE,
  agent_id    uuid        REFERENCES agents(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX bundle_deployments_target
  ON bundle_deployments (artifact_id, coalesce(agent_id, '00000000-0000-0000-0000-000000000000'::uuid));

CREATE TABLE agent_bundle_status (
  agent_id   uuid        PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  body       jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
