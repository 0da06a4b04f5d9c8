-- Verification that the agents serve the current certificate (task tls.served on each agent of the service).
ALTER TABLE certificate
    ADD COLUMN served_version    int NOT NULL DEFAULT 0,
    ADD COLUMN served_error      text,
    ADD COLUMN served_checked_at timestamptz;
