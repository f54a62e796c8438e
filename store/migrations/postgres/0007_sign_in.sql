-- Issue 14: single sign-on and sign-in without a password.
-- identities links an account to the people a single sign-on provider
-- vouches for (provider name, the provider's stable subject id).
CREATE TABLE identities (
  provider   TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT  NOT NULL,
  PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id);

-- tickets are single-use secrets, stored hashed: a single sign-on round
-- trip in progress (kind oidc), an emailed sign-in link (link) or password
-- reset (reset). Each is bound to the browser that asked for it (the hash
-- of a cookie) and is deleted when used.
CREATE TABLE tickets (
  hash       TEXT    PRIMARY KEY,
  kind       TEXT    NOT NULL,
  user_id    BIGINT REFERENCES users(id) ON DELETE CASCADE,
  browser    TEXT    NOT NULL,
  data       TEXT    NOT NULL,
  expires_at BIGINT  NOT NULL
);
CREATE INDEX tickets_expires ON tickets (expires_at);

-- follow_links let a person who reported without signing in follow their
-- case: the link's secret, stored hashed, stands for the account made for
-- that report. A responder may revoke it (revoked_at).
CREATE TABLE follow_links (
  hash       TEXT    PRIMARY KEY,
  case_id    BIGINT NOT NULL REFERENCES cases(id),
  user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT  NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX follow_links_case ON follow_links (case_id);
