-- Slack direct messages asking a person "was this you?" (issue 15), queued
-- with the signal when a bot token is configured; the Slack worker
-- (webhook/slack.go) claims them with a lease, as the webhook worker does.
CREATE TABLE slack_dms (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  signal_id    INTEGER NOT NULL, -- the signal asked about
  email        TEXT    NOT NULL, -- looked up with users.lookupByEmail
  text         TEXT    NOT NULL, -- the question and the signed answer link
  status       TEXT    NOT NULL DEFAULT 'queued', -- queued, delivered, failed
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at      BIGINT  NOT NULL,
  last_error   TEXT    NOT NULL DEFAULT '',
  created_at   BIGINT  NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX slack_dms_due ON slack_dms (status, next_at);
