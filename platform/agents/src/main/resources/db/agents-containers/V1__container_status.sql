-- The containers each agent last reported (status.containers.containers), rewritten only
-- when the list changes. A schema module of its own ("agents-containers") so that its
-- versions never collide with the agents schema's.
CREATE TABLE agent_container_status (
  agent_id   uuid        PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  body       jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
