-- Users of the core and their roles. Passwords are PBKDF2 hashes in a self-describing form.
CREATE TABLE security_users (
    username      text        PRIMARY KEY CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Names are unique ignoring case ("Admin" cannot sit beside "admin").
CREATE UNIQUE INDEX security_users_username_lower ON security_users (lower(username));

CREATE TABLE security_user_roles (
    username text NOT NULL REFERENCES security_users (username) ON DELETE CASCADE,
    role     text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    PRIMARY KEY (username, role)
);
