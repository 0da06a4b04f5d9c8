-- The core's Ed25519 bundle-signing key (docs/security.md): one row, shared by every core of the
-- database. The private key is sealed with the master key (SecretBox); agents receive the public key
-- at enrolment and refuse any bundle it did not sign.
CREATE TABLE bundle_signing_keys (
    id          smallint PRIMARY KEY CHECK (id = 1),
    algorithm   text NOT NULL,
    public_key  text NOT NULL,
    private_key text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
