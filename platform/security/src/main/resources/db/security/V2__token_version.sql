-- Access tokens carry the user's token version; raising it (password change, logout)
-- invalidates every token issued before.
ALTER TABLE security_users ADD COLUMN token_version bigint NOT NULL DEFAULT 0;
