-- The outbox: every email Ally sends, written in the same transaction as the
-- event that causes it and delivered by the outbox worker (outbox/).
CREATE TABLE outbox (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT    NOT NULL,            -- acknowledge, reply, resolve, assigned, reporter_wrote, critical
  case_id    INTEGER REFERENCES cases(id) ON DELETE CASCADE,
  to_addr    TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  body       TEXT    NOT NULL,
  reply_case BOOLEAN NOT NULL DEFAULT FALSE, -- replies go back into the case (plus-address Reply-To)
  status     TEXT    NOT NULL DEFAULT 'queued', -- queued, sent, failed
  attempts   INTEGER NOT NULL DEFAULT 0,
  next_at    BIGINT  NOT NULL,            -- due (queued); a claim pushes it past the lease
  last_error TEXT    NOT NULL DEFAULT '',
  created_at BIGINT  NOT NULL,
  sent_at    BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_at);
CREATE INDEX outbox_case ON outbox (case_id);

-- The key that signs reply-to addresses (mailaddr), made once by the store.
CREATE TABLE mail_secret (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  secret BLOB    NOT NULL
);
