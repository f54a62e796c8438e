-- Issue 20 F9: API tokens expire and record when they were last used.
-- Tokens made before this migration expire 90 days from now.
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
UPDATE tokens SET expires_at = CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT) + 7776000000;
CREATE INDEX tokens_user ON tokens (user_id);
