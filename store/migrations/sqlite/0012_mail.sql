-- Issue 13, intake speed on PostgreSQL: counts are spread over shards and a
-- campaign's reports are counted from its attachments when read (see the
-- PostgreSQL migration). SQLite has one writer, so it always uses shard 0;
-- the tables keep the same shape on both.
CREATE TABLE case_counts_new (
  status       TEXT    NOT NULL,
  confidential BOOLEAN NOT NULL,
  shard        INTEGER NOT NULL DEFAULT 0,
  n            BIGINT  NOT NULL,
  PRIMARY KEY (status, confidential, shard)
);
INSERT INTO case_counts_new (status, confidential, shard, n) SELECT status, confidential, 0, n FROM case_counts;
DROP TABLE case_counts;
ALTER TABLE case_counts_new RENAME TO case_counts;

CREATE TABLE counters_new (
  name  TEXT    NOT NULL,
  label TEXT    NOT NULL,
  shard INTEGER NOT NULL DEFAULT 0,
  n     BIGINT  NOT NULL,
  PRIMARY KEY (name, label, shard)
);
INSERT INTO counters_new (name, label, shard, n) SELECT name, label, 0, n FROM counters;
DROP TABLE counters;
ALTER TABLE counters_new RENAME TO counters;

ALTER TABLE campaigns DROP COLUMN reports;

-- The outbox worker claims the oldest due messages (ORDER BY next_at, id).
-- The old index ended at next_at, so every claim sorted the whole backlog
-- (100 ms a claim at 100,000 queued on PostgreSQL, while the web pages
-- waited for the CPU); with id in the index the claim reads only its batch.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (status, next_at, id);

-- Each responder's choice of how they hear of an event (ally.NotifyEvents):
-- instant, digest or off. No row: the default (instant).
CREATE TABLE notify_settings (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  event   TEXT    NOT NULL,
  mode    TEXT    NOT NULL,
  PRIMARY KEY (user_id, event)
);

-- Events gathered for a digest, until the digest that takes them is queued
-- in the outbox (in the same transaction, which deletes them).
CREATE TABLE notify_pending (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  event      TEXT    NOT NULL,
  case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  created_at BIGINT  NOT NULL
);
CREATE INDEX notify_pending_user ON notify_pending (user_id, id);
CREATE INDEX notify_pending_due ON notify_pending (created_at, user_id);

-- A campaign's decision says whether a responder blocked the email for
-- everyone: only then does the closing mail say so.
ALTER TABLE campaigns ADD COLUMN blocked BOOLEAN NOT NULL DEFAULT FALSE;
