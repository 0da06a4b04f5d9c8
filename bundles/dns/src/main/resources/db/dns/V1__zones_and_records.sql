-- Zones of the DNS module and the records Fleetgate created in them.
CREATE TABLE dns_zone (
  id             uuid        PRIMARY KEY,
  zone           text        NOT NULL,          -- apex, lower case, no trailing dot
  provider       text        NOT NULL,
  server         text        NOT NULL,
  port           integer     NOT NULL,
  tsig_key_name  text,                          -- null: unsigned messages
  tsig_algorithm text        NOT NULL,
  tsig_secret    text,                          -- sealed with the core's master key (SecretBox)
  ttl            integer     NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  last_sync_at   timestamptz,                   -- last successful exchange with the server
  last_error     text,
  last_error_at  timestamptz,
  failures       integer     NOT NULL DEFAULT 0, -- consecutive failed attempts (backoff)
  next_attempt_at timestamptz,                  -- not before this, unless forced
  CONSTRAINT dns_zone_zone_uq UNIQUE (zone)
);

-- What Fleetgate wrote (or is about to write or delete) on the servers: written before the
-- update is sent, so a crash never loses track of a record that may exist.
--   state ADDING: to be added; PRESENT: added; DELETING: to be deleted (row goes once done).
--   adopted: null = not looked up yet; true = the record existed before Fleetgate wanted it
--   (never deleted on the server, only forgotten); false = Fleetgate's own.
CREATE TABLE dns_record (
  zone_id    uuid        NOT NULL REFERENCES dns_zone (id) ON DELETE CASCADE,
  name       text        NOT NULL,
  type       text        NOT NULL,
  value      text        NOT NULL,
  ttl        integer     NOT NULL,
  service_id uuid,
  state      text        NOT NULL,
  adopted    boolean,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT dns_record_pk PRIMARY KEY (zone_id, name, type, value),
  CONSTRAINT dns_record_state_ck CHECK (state IN ('ADDING', 'PRESENT', 'DELETING'))
);
