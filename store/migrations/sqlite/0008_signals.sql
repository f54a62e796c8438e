-- Signals from other security tools ("was this you?"), and webhook and chat
-- subscriptions with their delivery queue (docs/design.md, Signals).
CREATE TABLE signals (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  sender_id     INTEGER NOT NULL REFERENCES users(id),
  source        TEXT    NOT NULL,
  type          TEXT    NOT NULL,
  subject_email TEXT    NOT NULL,
  subject_id    INTEGER REFERENCES users(id), -- NULL: no account, nobody is asked
  summary       TEXT    NOT NULL,
  details       TEXT    NOT NULL DEFAULT '',
  severity      TEXT    NOT NULL,
  occurred_at   BIGINT,
  dedup_key     TEXT    NOT NULL DEFAULT '',
  status        TEXT    NOT NULL, -- asking, confirmed, escalated
  answer        TEXT    NOT NULL DEFAULT '', -- yes, no, not_sure, timeout, quiet, no_account
  question      TEXT    NOT NULL DEFAULT '', -- as asked, filled in
  deadline      BIGINT  NOT NULL,
  case_id       INTEGER REFERENCES cases(id),
  created_at    BIGINT  NOT NULL,
  answered_at   BIGINT
);
CREATE INDEX signals_due ON signals (status, deadline);
CREATE INDEX signals_subject ON signals (subject_id, status);

-- The same dedup_key from the same sender within the type's window is one
-- signal; the primary key makes concurrent senders agree.
CREATE TABLE signal_dedup (
  sender_id  INTEGER NOT NULL,
  dedup_key  TEXT    NOT NULL,
  signal_id  INTEGER NOT NULL,
  expires_at BIGINT  NOT NULL,
  PRIMARY KEY (sender_id, dedup_key)
);

-- After a "yes", the same type is not asked of the same person until then.
CREATE TABLE signal_quiet (
  subject_id INTEGER NOT NULL,
  type       TEXT    NOT NULL,
  until      BIGINT  NOT NULL,
  PRIMARY KEY (subject_id, type)
);

-- Webhook and chat subscriptions (admins).
CREATE TABLE webhooks (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  url              TEXT    NOT NULL,
  format           TEXT    NOT NULL, -- standard, slack, teams
  events           TEXT    NOT NULL, -- space-separated event names
  include_personal BOOLEAN NOT NULL DEFAULT FALSE,
  secret           TEXT    NOT NULL, -- whsec_…; signs standard deliveries
  old_secret       TEXT    NOT NULL DEFAULT '', -- still signs until old_until (rotation overlap)
  old_until        BIGINT  NOT NULL DEFAULT 0,
  disabled         TEXT    NOT NULL DEFAULT '', -- why it was turned off ('' = on)
  created_at       BIGINT  NOT NULL
);

-- Deliveries: written with their event, claimed by the webhook worker.
CREATE TABLE webhook_deliveries (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id   INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event        TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  status       TEXT    NOT NULL DEFAULT 'queued', -- queued, delivered, failed
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at      BIGINT  NOT NULL,
  last_status  INTEGER NOT NULL DEFAULT 0, -- the receiver's last HTTP status (0: none)
  last_error   TEXT    NOT NULL DEFAULT '',
  created_at   BIGINT  NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);
