-- Issue 19: rate limits shared by every instance (store/limits.go). Each row
-- is one key's state, named by the SHA-256 of the key (no emails or
-- addresses are kept); rows expire and are swept, and the table is capped.
CREATE TABLE rate_limits (
    key        TEXT PRIMARY KEY,
    -- a rate: when its allowance is full again (GCRA); failed sign-ins:
    -- when the account's wait ends
    at         BIGINT NOT NULL,
    ok         BIGINT NOT NULL DEFAULT 1, -- a rate: whether the last take was allowed
    n          BIGINT NOT NULL DEFAULT 0, -- failed sign-ins in a row
    step       BIGINT NOT NULL DEFAULT 0, -- the account's current wait, in ms
    expires_at BIGINT NOT NULL
);
CREATE INDEX rate_limits_expiry ON rate_limits (expires_at);
